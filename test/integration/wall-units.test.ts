// Walls at three levels against PostGIS: the figures of a street and of a community are the counts SQL
// gives for that unit alone (cases by their codes, cameras by grid code prefix, sensors and alarms by
// position), the unit names its parents and lists the units below it with their own figures, and an
// unknown or malformed unit is refused with a clear answer.
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
const rows = async <T = Record<string, unknown>>(sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows as T[];
const get = async (path: string) => {
  const res = await fetch(ctx.app.baseUrl + path);
  return { status: res.status, body: await res.json() };
};

const TODAY = `date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'`;

/** The figures of the cases whose `column` is `code`, counted here with plain conditions. */
async function caseCounts(column: 'street_code' | 'community_code', code: string) {
  const [r] = await rows<{ today: number; open: number; overdue: number; closed: number; on_time: number }>(`
    SELECT count(*) FILTER (WHERE reported_at >= ${TODAY})::int AS today,
           count(*) FILTER (WHERE status NOT IN ('closed', 'rejected'))::int AS open,
           count(*) FILTER (WHERE status NOT IN ('closed', 'rejected') AND deadline_at < now()
                              AND (status <> 'suspended' OR suspended_at IS NULL OR deadline_at < suspended_at))::int AS overdue,
           count(*) FILTER (WHERE closed_at >= ${TODAY})::int AS closed,
           count(*) FILTER (WHERE closed_at >= ${TODAY} AND closed_at <= deadline_at)::int AS on_time
    FROM cases WHERE ${column} = $1`, [code]);
  return r;
}

/** Sensors, active alarms, cameras, vehicles, staff on duty (by their grid) and devices of a unit, counted here. */
async function deviceCounts(table: 'streets' | 'communities', code: string) {
  const [r] = await rows<{ sensors: number; alarms: number; cameras: number; online: number; vehicles: number; staff: number; devices: number }>(`
    SELECT (SELECT count(*) FROM sensor_stations s, ${table} u WHERE u.code = $1 AND ST_Within(s.geom, u.geom))::int AS sensors,
           (SELECT count(*) FROM alarms a JOIN sensor_stations s ON s.id = a.station_id, ${table} u
             WHERE a.cleared_at IS NULL AND u.code = $1 AND ST_Within(s.geom, u.geom))::int AS alarms,
           (SELECT count(*) FROM cameras WHERE grid_code LIKE $1 || '%')::int AS cameras,
           (SELECT count(*) FROM cameras WHERE grid_code LIKE $1 || '%' AND status = 'online')::int AS online,
           (SELECT count(*) FROM vehicles v, ${table} u WHERE u.code = $1 AND ST_Within(v.geom, u.geom))::int AS vehicles,
           (SELECT count(*) FROM staff WHERE on_duty AND grid_code LIKE $1 || '%')::int AS staff,
           (SELECT count(*) FROM devices d, ${table} u WHERE u.code = $1 AND ST_Within(d.geom, u.geom))::int AS devices`, [code]);
  return r;
}

interface Summary {
  cases_today: number; cases_open: number; cases_overdue: number; closed_today: number; closed_on_time_today: number;
  alarms: Record<string, number>; sensors: Record<string, number>; cameras: { total: number; online: number }; vehicles: { total: number };
  staff: { on_duty: number; offline: number }; devices: { total: number; online: number };
  trend: { reported: number }[];
}

function expectSummary(s: Summary, cases: Awaited<ReturnType<typeof caseCounts>>, devices: Awaited<ReturnType<typeof deviceCounts>>) {
  expect({ today: s.cases_today, open: s.cases_open, overdue: s.cases_overdue, closed: s.closed_today, on_time: s.closed_on_time_today }).toEqual(cases);
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  expect({ sensors: sum(s.sensors), alarms: sum(s.alarms), cameras: s.cameras.total, online: s.cameras.online, vehicles: s.vehicles.total,
    staff: s.staff.on_duty + s.staff.offline, devices: s.devices.total }).toEqual(devices);
}

describe('walls at three levels', () => {
  it('the district lists its streets with their figures; they add up to the cases that lie in a street', async () => {
    const { status, body: u } = await get('/api/wall/unit');
    expect(status).toBe(200);
    expect(u).toMatchObject({ level: 'district', parents: [] });
    const [d] = await rows<{ code: string; name: string }>('SELECT code, name FROM districts');
    expect([u.code, u.name]).toEqual([d.code, d.name]);
    const streets = await rows<{ code: string; name: string }>('SELECT code, name FROM streets ORDER BY code');
    expect(u.children.map((c: { code: string; name: string }) => [c.code, c.name])).toEqual(streets.map((s) => [s.code, s.name]));
    expect(u.children.every((c: { level: string; geometry: { type: string } }) => c.level === 'street' && /Polygon/.test(c.geometry.type))).toBe(true);
    const [open] = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE status NOT IN ('closed', 'rejected') AND street_code IS NOT NULL`);
    expect(u.children.reduce((n: number, c: { cases_open: number }) => n + c.cases_open, 0)).toBe(open.n);
    const busiest = [...u.children].sort((a, b) => b.cases_open - a.cases_open)[0];
    expect(busiest.cases_open).toBe((await caseCounts('street_code', busiest.code)).open);
  });

  it('a street: its figures are its own, its parents the district, its children its communities', async () => {
    // The street with the most active alarms, so that the scoped alarm figures are not all zero.
    const [st] = await rows<{ code: string; name: string }>(`
      SELECT s.code, s.name FROM streets s LEFT JOIN sensor_stations x ON ST_Within(x.geom, s.geom)
      LEFT JOIN alarms a ON a.station_id = x.id AND a.cleared_at IS NULL GROUP BY s.code ORDER BY count(a.id) DESC, s.code LIMIT 1`);
    const { body: s } = await get(`/api/wall/summary?street=${st.code}`);
    expectSummary(s, await caseCounts('street_code', st.code), await deviceCounts('streets', st.code));
    expect(s.staff.on_duty).toBeGreaterThan(0);
    const district = (await get('/api/wall/summary')).body as Summary;
    expect(s.cases_open).toBeLessThan(district.cases_open);

    const { body: u } = await get(`/api/wall/unit?street=${st.code}`);
    expect(u).toMatchObject({ level: 'street', code: st.code, name: st.name });
    expect(u.parents.map((p: { level: string }) => p.level)).toEqual(['district']);
    const [box] = await rows<{ w: number; s: number; e: number; n: number }>('SELECT ST_XMin(geom) w, ST_YMin(geom) s, ST_XMax(geom) e, ST_YMax(geom) n FROM streets WHERE code = $1', [st.code]);
    expect(u.bbox).toEqual([box.w, box.s, box.e, box.n]);
    const communities = await rows<{ code: string }>('SELECT code FROM communities WHERE street_code = $1 ORDER BY code', [st.code]);
    expect(u.children.map((c: { code: string }) => c.code)).toEqual(communities.map((c) => c.code));
    for (const c of u.children.slice(0, 3)) {
      const want = await caseCounts('community_code', c.code);
      expect([c.cases_open, c.cases_overdue, c.cases_today], c.code).toEqual([want.open, want.overdue, want.today]);
    }

    // Its alarms only.
    const { body: alarms } = await get(`/api/alarms?unit=${st.code}&limit=500`);
    expect(alarms.items.length).toBe((await deviceCounts('streets', st.code)).alarms);
    expect(alarms.items.length).toBeGreaterThan(0);
  });

  it('a community: its figures, the district and street above it, its unit grids below', async () => {
    const [c] = await rows<{ code: string; name: string; street_code: string }>(`
      SELECT c.code, c.name, c.street_code FROM communities c JOIN cases k ON k.community_code = c.code AND k.status NOT IN ('closed', 'rejected')
      GROUP BY c.code ORDER BY count(*) DESC LIMIT 1`);
    const { body: s } = await get(`/api/wall/summary?community=${c.code}`);
    expectSummary(s, await caseCounts('community_code', c.code), await deviceCounts('communities', c.code));
    expect(s.cases_open).toBeGreaterThan(0);

    const { body: u } = await get(`/api/wall/unit?community=${c.code}`);
    expect(u).toMatchObject({ level: 'community', code: c.code, name: c.name });
    expect(u.parents.map((p: { level: string; code: string }) => [p.level, p.code])).toEqual([['district', expect.any(String)], ['street', c.street_code]]);
    const grids = await rows<{ code: string; open: number }>(`
      SELECT g.code, (SELECT count(*) FROM cases k WHERE k.grid_code = g.code AND k.status NOT IN ('closed', 'rejected'))::int AS open
      FROM grids g WHERE g.community_code = $1 ORDER BY g.code`, [c.code]);
    expect(u.children.map((g: { level: string; code: string; cases_open: number }) => [g.level, g.code, g.cases_open])).toEqual(grids.map((g) => ['grid', g.code, g.open]));
  });

  it('an unknown unit is a 404 that says so; a malformed code or two units at once a 400', async () => {
    const [d] = await rows<{ code: string }>('SELECT code FROM districts');
    for (const path of ['/api/wall/summary', '/api/wall/unit']) {
      const street = await get(`${path}?street=${d.code}999`);
      expect(street.status, path).toBe(404);
      expect(street.body.message).toContain(`no street (街道) with code ${d.code}999`);
      const community = await get(`${path}?community=${d.code}001999`);
      expect(community.status, path).toBe(404);
      expect(community.body.message).toContain('no community (社区)');
      expect((await get(`${path}?street=12345`)).status, path).toBe(400);
      expect((await get(`${path}?street=${d.code}001&community=${d.code}001001`)).status, path).toBe(400);
    }
  });
});
