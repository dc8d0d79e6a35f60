// The day-partitioned history at scale (migration history_partitions, functions/history.sql): a month of
// readings scaled to this machine, a year of roll-ups, and what retention and charts cost on them.
//
// A month at 1,000 readings/s is 2.6 G rows. Here: --streams streams reporting once a minute (the real
// per-stream density, so a chart of one stream reads as many rows as it would in the city) for --days day
// partitions, generated with generate_series straight into each partition in arrival order (every stream's
// minute together); the scale factor is 1,000 / (streams / 60). Roll-ups: the generated days aggregated
// from the raw rows, and the 11 months before them generated as roll-ups only (their raw rows long gone).
//
// Measured, in this process on one scratch database:
// - the bulk load (rows/s into the partitions) and the ingest path: batches of one minute of every stream
//   through the parent table, with its statement triggers (roll-ups, live events), as /api/ingest writes;
// - the chart data (seriesOf, what GET /api/datastreams/{id}/series runs) for 24 h, 7 d, 30 d from the raw
//   rows and from the hourly and daily roll-ups, and for a year from the roll-ups;
// - dropping an expired day (history_drop_expired) against DELETE of a day of the same size.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { seriesOf } from '../server/data/history.ts';
import type { SeriesResolution } from '../common/api/history.ts';
import { arg, freshMigratedDatabase, loadAverage, machine, writeResults } from './shared.ts';

const DAY_MS = 86_400_000;
const PERIODS = [{ name: '24 h', days: 1 }, { name: '7 d', days: 7 }, { name: '30 d', days: 30 }, { name: '1 y', days: 365 }];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: number) => +(performance.now() - t0).toFixed(1);

export async function run(args: string[]): Promise<void> {
  const opts = { streams: arg(args, 'streams', 200), days: arg(args, 'days', 30), ingestBatches: arg(args, 'ingest-batches', 20), charts: arg(args, 'charts', 9) };
  const rowsPerDay = opts.streams * 1440;
  const scale = 1000 / (opts.streams / 60);
  const { url, db, drop } = await freshMigratedDatabase('onemap_bench_retention');
  const loadBefore = loadAverage();
  const log = (m: string) => console.log(`[retention] ${m}`);

  // The streams: one per station, in Wuchang.
  await db.query(`INSERT INTO sensor_stations (code, name, kind, geom)
    SELECT 'BENCH' || i, '测站' || i, 'ponding', ST_SetSRID(ST_MakePoint(114.3 + (i % 20) * 0.002, 30.55 + (i / 20) * 0.002), 4326) FROM generate_series(1, $1) i`, [opts.streams]);
  await db.query(`INSERT INTO datastreams (station_id, quantity, unit) SELECT id, 'water_depth', 'm' FROM sensor_stations`);
  const { rows: [ids] } = await db.query<{ first: number; last: number }>('SELECT min(id) AS first, max(id) AS last FROM datastreams');

  // The days: the last --days up to today (the district's days), each its own partition.
  const { rows: [{ today }] } = await db.query<{ today: string }>(`SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS today`);
  const dayOf = (i: number) => new Date(Date.parse(`${today}T00:00:00Z`) - (opts.days - 1 - i) * DAY_MS).toISOString().slice(0, 10);
  const partition = (d: string) => `observations_${d.replaceAll('-', '')}`;
  let loadMs = 0;
  for (let i = 0; i < opts.days; i++) {
    const d = dayOf(i);
    await db.query('SELECT history_add_day($1, $2::date)', ['observations', d]);
    const t0 = performance.now();
    await db.query(`INSERT INTO ${partition(d)} (datastream_id, t, value)
      SELECT ds, history_day_start($1::date) + m * interval '1 minute', round((1 + sin(ds + m / 90.0))::numeric, 3)
      FROM generate_series(0, 1439) m, generate_series($2::int, $3::int) ds ORDER BY m, ds`, [d, ids.first, ids.last]);
    loadMs += performance.now() - t0;
    if (i % 5 === 4) log(`loaded ${i + 1} of ${opts.days} days (${rowsPerDay} rows each)`);
  }
  const loaded = rowsPerDay * opts.days;
  // Roll-ups of the generated days, as the trigger would have kept them, and the 11 months before.
  let t0 = performance.now();
  await db.query(`INSERT INTO observation_rollups (datastream_id, res, bucket, n, sum, min, max)
    SELECT o.datastream_id, b.res, b.bucket, count(*), sum(o.value), min(o.value), max(o.value)
    FROM observations o, LATERAL (VALUES ('hour', date_trunc('hour', o.t)), ('day', date_trunc('day', o.t, 'Asia/Shanghai'))) b(res, bucket)
    GROUP BY 1, 2, 3`);
  const rollupMs = ms(t0);
  await db.query(`INSERT INTO observation_rollups (datastream_id, res, bucket, n, sum, min, max)
    SELECT ds, 'hour', h, 60, 60 * (1 + sin(ds + extract(epoch FROM h) / 5400)), 0.5, 1.5
    FROM generate_series($1::int, $2::int) ds, generate_series(history_day_start($3::date) - interval '335 days', history_day_start($3::date) - interval '1 hour', interval '1 hour') h`,
  [ids.first, ids.last, dayOf(0)]);
  await db.query(`INSERT INTO observation_rollups (datastream_id, res, bucket, n, sum, min, max)
    SELECT datastream_id, 'day', date_trunc('day', bucket, 'Asia/Shanghai'), sum(n), sum(sum), min(min), max(max)
    FROM observation_rollups WHERE res = 'hour' AND bucket < history_day_start($1::date) GROUP BY 1, 3`, [dayOf(0)]);
  await db.query('VACUUM ANALYZE observations, observation_rollups');
  const { rows: [sizes] } = await db.query<{ raw: string; raw_bytes: number; rollups: string; rollup_rows: number }>(
    `SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS raw, sum(pg_total_relation_size(c.oid))::float8 AS raw_bytes,
            pg_size_pretty(pg_total_relation_size('observation_rollups')) AS rollups,
            (SELECT count(*)::int FROM observation_rollups) AS rollup_rows
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'observations'::regclass`);
  log(`loaded ${loaded} rows in ${(loadMs / 1000).toFixed(1)} s; raw ${sizes.raw}, roll-ups ${sizes.rollups} (${sizes.rollup_rows} rows)`);

  // The ingest path: one minute of every stream per statement, through the parent and its triggers, at
  // seconds the generated minutes do not use (today's partition).
  const ingest: number[] = [];
  for (let b = 0; b < opts.ingestBatches; b++) {
    t0 = performance.now();
    await db.query(`INSERT INTO observations (datastream_id, t, value)
      SELECT ds, history_day_start($1::date) + $2 * interval '1 minute' + interval '30 seconds', 1.25 FROM generate_series($3::int, $4::int) ds`,
    [today, b, ids.first, ids.last]);
    ingest.push(performance.now() - t0);
  }
  const ingestRowsPerSecond = Math.round((opts.streams * opts.ingestBatches) / (ingest.reduce((a, b) => a + b, 0) / 1000));
  log(`ingest through the parent: ${ingestRowsPerSecond} rows/s (batches of ${opts.streams})`);

  // Charts: the period ending at the end of the data, for --charts streams spread over the ids, each once
  // after one warm-up read; the median.
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const to = new Date(Date.parse(`${dayOf(opts.days - 1)}T16:00:00Z`)); // the district's midnight after the last day
  const streams = Array.from({ length: opts.charts }, (_, i) => ids.first + Math.floor((i * (ids.last - ids.first)) / Math.max(1, opts.charts - 1)));
  const charts: { period: string; res: SeriesResolution; ms: number; points: number; rowsRead: number }[] = [];
  for (const p of PERIODS) {
    const from = new Date(to.getTime() - p.days * DAY_MS);
    for (const res of ['raw', 'hour', 'day'] as SeriesResolution[]) {
      if (res === 'raw' && p.days > opts.days) continue;
      await seriesOf(pool, streams[0], from, to, res);
      const times: number[] = [];
      let points = 0;
      let rowsRead = 0;
      for (const id of streams) {
        t0 = performance.now();
        const s = await seriesOf(pool, id, from, to, res);
        times.push(performance.now() - t0);
        points = s.points.length;
        rowsRead = s.points.reduce((n, pt) => n + pt.n, 0);
      }
      charts.push({ period: p.name, res, ms: +median(times).toFixed(2), points, rowsRead });
      log(`chart ${p.name} ${res}: ${median(times).toFixed(2)} ms, ${points} points`);
    }
  }
  await pool.end();
  const ratio = (period: string, res: SeriesResolution) => {
    const raw = charts.find((c) => c.period === period && c.res === 'raw');
    const r = charts.find((c) => c.period === period && c.res === res)!;
    return raw ? +(raw.ms / r.ms).toFixed(1) : null;
  };

  // Retention: the two oldest days dropped by the housekeeping (each call: the one day past keep_days),
  // the next two deleted row by row; the roll-ups stay.
  const { rows: [{ keep }] } = await db.query<{ keep: number }>(`SELECT keep_days AS keep FROM history_tables WHERE tbl = 'observations'`);
  const { rows: [{ rollupsBefore }] } = await db.query<{ rollupsBefore: number }>('SELECT count(*)::int AS "rollupsBefore" FROM observation_rollups');
  const drops: number[] = [];
  const deletes: number[] = [];
  for (let i = 0; i < 2; i++) {
    const at = new Date(Date.parse(`${dayOf(i + 1)}T04:00:00Z`) + keep * DAY_MS); // noon in Wuchang, keep_days after the day after
    t0 = performance.now();
    const { rows: [{ dropped }] } = await db.query<{ dropped: number }>('SELECT history_drop_expired($1) AS dropped', [at]);
    drops.push(ms(t0));
    if (dropped !== 1) throw new Error(`history_drop_expired dropped ${dropped} partitions, not the one expired day`);
    const d = dayOf(i + 2);
    t0 = performance.now();
    const { rowCount } = await db.query(`DELETE FROM observations WHERE t >= history_day_start($1::date) AND t < history_day_start($1::date + 1)`, [d]);
    deletes.push(ms(t0));
    if (rowCount !== rowsPerDay) throw new Error(`DELETE removed ${rowCount} rows, not ${rowsPerDay}`);
  }
  const { rows: [{ rollupsAfter }] } = await db.query<{ rollupsAfter: number }>('SELECT count(*)::int AS "rollupsAfter" FROM observation_rollups');
  if (rollupsAfter !== rollupsBefore) throw new Error(`the roll-ups went from ${rollupsBefore} to ${rollupsAfter} rows`);
  log(`drop an expired day: ${drops.join(', ')} ms; DELETE of a day: ${deletes.join(', ')} ms`);
  const loadAfter = loadAverage();
  await drop();

  const result = {
    machine: machine(), load: { before: loadBefore, after: loadAfter }, options: opts,
    scale: { streams: opts.streams, readingsPerSecond: +(opts.streams / 60).toFixed(2), factor: +scale.toFixed(1), rowsPerDay, days: opts.days, rows: loaded, rawSize: sizes.raw, monthAtFullScaleTiB: +(sizes.raw_bytes * scale / 2 ** 40).toFixed(2), rollupSize: sizes.rollups, rollupRows: sizes.rollup_rows },
    bulkLoadRowsPerSecond: Math.round(loaded / (loadMs / 1000)), rollupBuildMs: rollupMs,
    ingest: { rowsPerSecond: ingestRowsPerSecond, batchRows: opts.streams, batchMsMedian: +median(ingest).toFixed(1) },
    charts: charts.map((c) => ({ ...c, rawOverThis: c.res === 'raw' ? null : ratio(c.period, c.res) })),
    retention: { dropExpiredDayMs: drops, deleteDayMs: deletes, rowsPerDay, deleteOverDrop: +(median(deletes) / median(drops)).toFixed(0), rollupsKept: rollupsAfter },
  };
  const md = [
    `# Retention: day partitions, roll-ups and charts (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Machine: ${machine()}; load average before ${loadBefore.join(' / ')}, after ${loadAfter.join(' / ')} (1/5/15 min; other work shares the cores, so times are upper bounds).`,
    '',
    `Scale: ${opts.streams} streams reporting once a minute (${result.scale.readingsPerSecond} readings/s) for ${opts.days} day partitions: ${loaded.toLocaleString('en')} rows (${sizes.raw} with indexes), 1 : ${result.scale.factor} of a month at 1,000 readings/s (2.6 G rows, about ${result.scale.monthAtFullScaleTiB} TiB at this size per row). Per stream the density is the city's, so a chart reads what it would there. Roll-ups: a year (${sizes.rollup_rows.toLocaleString('en')} rows, ${sizes.rollups}).`,
    '',
    '| | |',
    '|---|---|',
    `| bulk load, generate_series into the partitions | ${result.bulkLoadRowsPerSecond.toLocaleString('en')} rows/s |`,
    `| ingest through the parent (roll-up and live-event triggers), ${opts.streams} rows a statement | ${ingestRowsPerSecond.toLocaleString('en')} rows/s (median statement ${result.ingest.batchMsMedian} ms) |`,
    `| roll-ups of ${opts.days} days rebuilt from the raw rows | ${(rollupMs / 1000).toFixed(1)} s |`,
    `| history_drop_expired dropping one expired day (${rowsPerDay.toLocaleString('en')} rows) | ${drops.join(' ms, ')} ms |`,
    `| DELETE of one day of the same size (baseline) | ${deletes.join(' ms, ')} ms (×${result.retention.deleteOverDrop}; and its dead rows still to vacuum) |`,
    '',
    `Charts of one stream (seriesOf, what GET /api/datastreams/{id}/series runs), median of ${opts.charts} streams, warm cache:`,
    '',
    '| period | resolution | ms | points | readings behind them | raw ms ÷ this |',
    '|---|---|---|---|---|---|',
    ...result.charts.map((c) => `| ${c.period} | ${c.res} | ${c.ms} | ${c.points} | ${c.rowsRead.toLocaleString('en')} | ${c.rawOverThis ?? (c.res === 'raw' ? '—' : 'no raw rows that old')} |`),
    '',
    'The API picks raw up to 3 days, hourly up to 92, daily beyond (resolutionFor), and refuses raw past 31 days.',
    '',
  ].join('\n');
  writeResults('retention', result, md);
}
