// Pipe hazards (隐患): serious CJJ 181 defects located on their reach. Few enough (hundreds) to show at every zoom.
import { asMvt, mvtGeom, runTile, tileSql } from '../server/tiles/sql.ts';
import type { TileLayer } from '../server/tiles/types.ts';

const sql = tileSql(asMvt('hazards', `
  SELECT h.id, h.code, c.kind, h.grade, h.pipe_id, h.status, ${mvtGeom('h.geom3857')} AS geom
  FROM hazards h JOIN defect_codes c ON c.code = h.code, env WHERE h.geom3857 && env.b`, 'id'));

const layer: TileLayer = {
  id: 'hazards',
  name: { zh: '管网隐患', en: 'Pipe hazards' },
  description: 'Hazards on drainage pipes: CJJ 181 defect code, kind and grade.',
  minzoom: 8,
  maxzoom: 18,
  tables: ['hazards'],
  maxAgeSeconds: 0,
  vectorLayers: [{
    id: 'hazards',
    description: 'One point per hazard',
    fields: {
      id: 'Number', code: 'String: CJJ 181 defect code (PL, BX, CJ…)', kind: 'String: structural | functional',
      grade: 'Number: 1–4', pipe_id: 'Number', status: 'String: open | in_repair | fixed',
    },
  }],
  tile: ({ db, z, x, y }) => runTile(db, 'tile_hazards', sql, z, x, y),
};
export default layer;
