// Every tile query at detail zooms reads through a spatial index, not a scan of the table.
import { expect, it } from 'vitest';
import { discoverLayers } from '../../server/tiles/registry.ts';
import { tilesCovering } from '../../server/tiles/tilemath.ts';
import type { Queryable } from '../../server/tiles/types.ts';
import { useTestDatabase } from '../helpers/db.ts';

const test = useTestDatabase();

it.each(['basemap', 'pipes', 'manholes', 'hazards', 'misconnections', 'grids', 'cameras', 'sensors', 'facilities', 'cases'])(
  '%s at z16 uses an index and never scans a whole table',
  async (id) => {
    const layer = (await discoverLayers()).get(id)!;
    // Capture the statement the layer sends, then EXPLAIN it with the same parameters.
    let captured: { text: string; values?: unknown[] } | undefined;
    const spy: Queryable = {
      query: async (cfg) => { captured = cfg; return { rows: [{ mvt: Buffer.alloc(0) }] } as never; },
    };
    const t = tilesCovering([114.31, 30.55, 114.31, 30.55], 16)[0];
    await layer.tile({ db: spy, z: 16, x: t.x, y: t.y });
    await test.client.query('SET enable_seqscan = on');
    const { rows } = await test.client.query({ text: `EXPLAIN ${captured!.text}`, values: captured!.values });
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
    const big = ['pipes', 'manholes', 'cases', 'cameras', 'grids', 'roads', 'case_cell_totals'];
    for (const table of big) expect(plan, plan).not.toMatch(new RegExp(`Seq Scan on ${table}\\b`));
  },
);
