// The day-partitioned history against PostGIS: the seeded week sits in day partitions, not the default;
// a row of a day without a partition waits in the default and moves into a partition of its own, counted
// once by the roll-ups; the hourly and daily roll-ups equal the raw rows; the series API answers raw or
// rolled-up readings by period; and whole days past their keeping are dropped as tables while the roll-ups stay.
import { describe, expect, it } from 'vitest';
import { maintainHistory } from '../../server/data/history.ts';
import { useTestApp } from '../helpers/app.ts';

const ctx = useTestApp();
const one = async <T = Record<string, any>>(sql: string, values: unknown[] = []) => (await ctx.db.query(sql, values)).rows[0] as T;
const get = async (path: string) => {
  const res = await fetch(`${ctx.app.baseUrl}${path}`);
  return { status: res.status, body: await res.json() as Record<string, any> };
};
const partitions = async (tbl: string) => (await ctx.db.query<{ name: string }>(
  `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY 1`, [tbl])).rows.map((r) => r.name);
// The roll-ups that differ from the raw rows' aggregates (none when they agree).
const rollupsDisagree = (res: 'hour' | 'day') => one<{ n: number }>(
  `WITH raw AS (SELECT datastream_id, ${res === 'hour' ? `date_trunc('hour', t)` : `date_trunc('day', t, 'Asia/Shanghai')`} AS bucket,
                       count(*)::int AS n, sum(value) AS sum, min(value) AS min, max(value) AS max FROM observations GROUP BY 1, 2)
   SELECT count(*)::int AS n FROM raw FULL JOIN (SELECT * FROM observation_rollups WHERE res = $1) r USING (datastream_id, bucket)
   WHERE r.n IS DISTINCT FROM raw.n OR abs(r.sum - raw.sum) > 1e-6 OR r.min IS DISTINCT FROM raw.min OR r.max IS DISTINCT FROM raw.max`, [res]);

describe('history partitions', () => {
  it('the seeded week is in day partitions, the defaults are empty, and partitions reach a week ahead', async () => {
    for (const tbl of ['observations', 'vehicle_positions', 'track_points', 'live_events']) {
      expect((await one(`SELECT count(*)::int AS n FROM ${tbl}_default`)).n, tbl).toBe(0);
      const names = await partitions(tbl);
      const ahead = await one<{ d: string }>(`SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai')::date + 7, 'YYYYMMDD') AS d`);
      expect(names, tbl).toContain(`${tbl}_${ahead.d}`);
    }
    expect((await one('SELECT count(*)::int AS n FROM observations')).n).toBeGreaterThan(10_000);
    expect((await partitions('observations')).length).toBeGreaterThanOrEqual(9);
  });

  it('the hourly and daily roll-ups equal the raw readings', async () => {
    expect((await rollupsDisagree('hour')).n).toBe(0);
    expect((await rollupsDisagree('day')).n).toBe(0);
  });

  it('a reading of a day with no partition waits in the default, then moves into its own day, counted once', async () => {
    const { id } = await one<{ id: number }>('SELECT min(id) AS id FROM datastreams');
    // Thirty days ago (kept, 90 days) at 10:20 in Wuchang: before the seeded week, so no partition yet.
    const { t, day } = await one<{ t: string; day: string }>(`SELECT (d + time '10:20') AT TIME ZONE 'Asia/Shanghai' AS t, to_char(d, 'YYYYMMDD') AS day
      FROM (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date - 30 AS d) x`);
    await ctx.db.query('INSERT INTO observations (datastream_id, t, value) VALUES ($1, $2, 1.5), ($1, $2::timestamptz + interval \'1 minute\', 2.5)', [id, t]);
    expect((await one('SELECT count(*)::int AS n FROM observations_default')).n).toBe(2);
    expect(await maintainHistory(ctx.db)).toMatchObject({ created: 1 });
    expect((await one('SELECT count(*)::int AS n FROM observations_default')).n).toBe(0);
    expect((await one(`SELECT count(*)::int AS n FROM observations_${day}`)).n).toBe(2);
    expect(await one(`SELECT n, sum, min, max FROM observation_rollups WHERE datastream_id = $1 AND res = 'hour' AND bucket = date_trunc('hour', $2::timestamptz)`, [id, t]))
      .toEqual({ n: 2, sum: 4, min: 1.5, max: 2.5 });
    expect((await rollupsDisagree('day')).n).toBe(0);
  });

  it('the series: raw for a day, hourly for a month, daily for a year; bad periods are 400s, an unknown stream 404', async () => {
    const { id, last } = await one<{ id: number; last: Date }>('SELECT datastream_id AS id, max(t) AS last FROM observations GROUP BY 1 ORDER BY count(*) DESC LIMIT 1');
    const to = new Date(last.getTime() + 1000).toISOString();
    const day = await get(`/api/datastreams/${id}/series?to=${to}`);
    expect(day.status).toBe(200);
    expect(day.body.resolution).toBe('raw');
    const raw = await one<{ n: number }>(`SELECT count(*)::int AS n FROM observations WHERE datastream_id = $1 AND t >= $2::timestamptz - interval '1 day' AND t < $2`, [id, to]);
    expect(day.body.points.length).toBe(raw.n);
    const month = await get(`/api/datastreams/${id}/series?from=${new Date(last.getTime() - 30 * 86400_000).toISOString()}&to=${to}`);
    expect(month.body.resolution).toBe('hour');
    const hours = month.body.points as { n: number; value: number; min: number; max: number }[];
    expect(hours.reduce((s, p) => s + p.n, 0)).toBe((await one<{ n: number }>(`SELECT count(*)::int AS n FROM observations WHERE datastream_id = $1 AND t >= $2::timestamptz - interval '30 days' AND t < $2`, [id, to])).n);
    for (const p of hours) expect(p.min <= p.value && p.value <= p.max).toBe(true);
    const year = await get(`/api/datastreams/${id}/series?from=${new Date(last.getTime() - 365 * 86400_000).toISOString()}&to=${to}`);
    expect(year.body).toMatchObject({ resolution: 'day', raw_keep_days: 90 });
    expect(year.body.points.length).toBeGreaterThanOrEqual(7);
    expect((await get(`/api/datastreams/${id}/series?from=${to}&to=${to}`)).status).toBe(400);
    const rawYear = await get(`/api/datastreams/${id}/series?from=2025-01-01T00:00:00Z&to=${to}&res=raw`);
    expect(rawYear.status).toBe(400);
    expect(rawYear.body.message).toMatch(/res=hour/);
    expect((await get(`/api/datastreams/999999/series`)).status).toBe(404);
  });

  it('whole days past their keeping are dropped as tables, the days kept stay; rows older in a default go; the roll-ups stay', async () => {
    const rollups = (await one('SELECT count(*)::int AS n FROM observation_rollups')).n;
    const before = await partitions('observations');
    await ctx.db.query(`INSERT INTO observations_default (datastream_id, t, value) SELECT min(id), '2020-01-01T00:00:00Z', 1 FROM datastreams`);
    // Ninety days after the last reading every observation day is past its keeping.
    const { last } = await one<{ last: Date }>('SELECT max(t) AS last FROM observations');
    const at = new Date(last.getTime() + 92 * 86400_000);
    // The last day past its keeping and the first day kept, on either side of the line.
    const { expired, kept } = await one<{ expired: string; kept: string }>(
      `SELECT history_add_day('observations', d - 91), history_add_day('observations', d - 90), to_char(d - 91, 'YYYYMMDD') AS expired, to_char(d - 90, 'YYYYMMDD') AS kept
       FROM (SELECT ($1::timestamptz AT TIME ZONE 'Asia/Shanghai')::date AS d) x`, [at]);
    const { dropped } = await maintainHistory(ctx.db, at);
    const after = await partitions('observations');
    expect(after).not.toContain(`observations_${expired}`);
    expect(after).toContain(`observations_${kept}`);
    // Only days before the first kept one went.
    expect([...before, `observations_${expired}`].filter((n) => /_\d{8}$/.test(n) && !after.includes(n)).every((n) => n.slice(-8) < kept)).toBe(true);
    const lastDay = (await one<{ d: string }>(`SELECT to_char($1::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') AS d`, [last])).d;
    const readingDays = before.filter((n) => /_\d{8}$/.test(n) && n.slice(-8) <= lastDay);
    expect(readingDays.length).toBeGreaterThanOrEqual(8);
    expect(dropped).toBeGreaterThanOrEqual(readingDays.length);
    expect(after.filter((n) => readingDays.includes(n))).toEqual([]);
    expect((await one('SELECT count(*)::int AS n FROM observations')).n).toBe(0);
    expect((await one('SELECT count(*)::int AS n FROM observation_rollups')).n).toBe(rollups);
    // Live events still arrive (the table is partitioned, its ids go on).
    const { n: events } = await one<{ n: number }>('SELECT count(*)::int AS n FROM live_events');
    const { id } = await one<{ id: number }>('SELECT min(id) AS id FROM datastreams');
    await ctx.db.query(`INSERT INTO observations (datastream_id, t, value) VALUES ($1, now(), 3)`, [id]);
    expect((await one('SELECT count(*)::int AS n FROM live_events')).n).toBe(events + 1);
  });
});
