// "Which unit grid is this?" is the field app's most frequent question, so the ~1400 grid polygons (with
// their community, street and district) are held in memory (a MemoryMirror) behind a bucket index. A
// point no polygon claims (outside, or exactly on an edge) is asked of PostGIS, whose answer is the
// reference.
import type { Position } from '../geo/input.ts';
import { MemoryMirror, type Queryable } from './memory-mirror.ts';
import { GRID_AT_SQL } from './spatial.ts';
import type { GridAt } from '../../common/api/query.ts';

/** The unit grid at a point, with its community, street and district (GET /api/grids/at). */
export type { GridAt } from '../../common/api/query.ts';


type GridRow = {
  code: string; area_m2: number; bbox: number[]; community_code: string; community_name: string;
  street_code: string; street_name: string; district_code: string; district_name: string;
};

interface Entry {
  at: GridAt;
  bbox: [number, number, number, number];
  /** Polygons → rings → flat [x0, y0, x1, y1, …]. */
  polygons: Float64Array[][];
}

/** The tables whose changes make the index stale. */
export const GRID_TABLES = new Set(['grids', 'communities', 'streets', 'districts']);
const CELLS = 64;

function toAt(r: GridRow): GridAt {
  return {
    grid: { code: r.code, area_m2: Math.round(r.area_m2 * 10) / 10, bbox: r.bbox.map((v) => Math.round(v * 1e7) / 1e7) as GridAt['grid']['bbox'] },
    community: { code: r.community_code, name: r.community_name },
    street: { code: r.street_code, name: r.street_name },
    district: { code: r.district_code, name: r.district_name },
  };
}

/** Even-odd ray casting over all rings of a polygon (holes included). */
function inPolygon(rings: Float64Array[], x: number, y: number): boolean {
  let inside = false;
  for (const r of rings) {
    for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
      const [xi, yi, xj, yj] = [r[i], r[i + 1], r[j], r[j + 1]];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

class Index {
  private readonly cells: Entry[][];
  private readonly box: [number, number, number, number];

  constructor(readonly entries: Entry[]) {
    const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const e of entries) {
      b[0] = Math.min(b[0], e.bbox[0]); b[1] = Math.min(b[1], e.bbox[1]);
      b[2] = Math.max(b[2], e.bbox[2]); b[3] = Math.max(b[3], e.bbox[3]);
    }
    this.box = b;
    this.cells = Array.from({ length: CELLS * CELLS }, () => []);
    for (const e of entries) {
      const [x0, y0] = this.cell(e.bbox[0], e.bbox[1]);
      const [x1, y1] = this.cell(e.bbox[2], e.bbox[3]);
      for (let cx = x0; cx <= x1; cx++) for (let cy = y0; cy <= y1; cy++) this.cells[cy * CELLS + cx].push(e);
    }
    // Lowest code first, as the SQL's ORDER BY code.
    for (const c of this.cells) c.sort((a, b) => (a.at.grid.code < b.at.grid.code ? -1 : 1));
  }

  private cell(x: number, y: number): [number, number] {
    const fx = (x - this.box[0]) / (this.box[2] - this.box[0] || 1);
    const fy = (y - this.box[1]) / (this.box[3] - this.box[1] || 1);
    return [Math.min(CELLS - 1, Math.max(0, Math.floor(fx * CELLS))), Math.min(CELLS - 1, Math.max(0, Math.floor(fy * CELLS)))];
  }

  find(x: number, y: number): GridAt | null {
    if (x < this.box[0] || x > this.box[2] || y < this.box[1] || y > this.box[3]) return null;
    const [cx, cy] = this.cell(x, y);
    for (const e of this.cells[cy * CELLS + cx]) {
      if (x < e.bbox[0] || x > e.bbox[2] || y < e.bbox[1] || y > e.bbox[3]) continue;
      if (e.polygons.some((p) => inPolygon(p, x, y))) return e.at;
    }
    return null;
  }
}

export class GridIndex {
  readonly mirror: MemoryMirror<Index>;
  private fallbacks = 0;

  constructor(private readonly db: Queryable, fresh: () => boolean = () => false) {
    this.mirror = new MemoryMirror(GRID_TABLES, () => this.load(), fresh);
  }

  /** Index builds and database fallbacks, for tests and the benchmark. */
  get stats() {
    return { loads: this.mirror.loads, fallbacks: this.fallbacks };
  }

  private async load(): Promise<Index> {
    const { rows } = await this.db.query<Omit<GridRow, 'bbox'> & { coords: Position[][][] }>({
      text: `SELECT g.code, g.area_m2, c.code AS community_code, c.name AS community_name, s.code AS street_code, s.name AS street_name,
                    d.code AS district_code, d.name AS district_name, ST_AsGeoJSON(g.geom)::json -> 'coordinates' AS coords
             FROM grids g JOIN communities c ON c.code = g.community_code JOIN streets s ON s.code = c.street_code
             JOIN districts d ON d.code = s.district_code`,
    });
    return new Index(rows.map((r) => {
      const polygons = r.coords.map((poly) => poly.map((ring) => Float64Array.from(ring.flat())));
      const xs = r.coords.flat(2).map((p) => p[0]);
      const ys = r.coords.flat(2).map((p) => p[1]);
      const bbox: Entry['bbox'] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
      return { at: toAt({ ...r, bbox }), polygons, bbox };
    }));
  }

  async at(lon: number, lat: number): Promise<GridAt | null> {
    const hit = (await this.mirror.get())?.find(lon, lat);
    if (hit) return hit;
    this.fallbacks++;
    const { rows } = await this.db.query<GridRow>({ name: 'grid_at', text: GRID_AT_SQL, values: [lon, lat] });
    return rows[0] ? toAt(rows[0]) : null;
  }
}
