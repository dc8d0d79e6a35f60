// People and devices live: a field worker's duty (上岗/下岗, opt-in 共享位置) and the positions they send
// while on duty and sharing; devices' positions and status from the ingest feed; tracks of both for a time
// window (kept TRACK_DAYS days); enforcement files linked to cases. Staff and devices are liveness
// reporters (server/live/liveness.ts), so a silent one reads offline after its interval.
import type pg from 'pg';
import type {
  DeviceItem, DeviceReport, DevicesIngested, DutyBody, EnforcementFileBody, MyDuty, MyPositionBody, PersonnelList, StaffItem, Track,
} from '../../common/api/personnel.ts';
import { MAX_BATCH } from '../../common/api/live.ts';
import { audit, type Actor } from '../auth/audit.ts';
import type { User } from '../auth/users.ts';
import { inTransaction } from '../db/tx.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../http/errors.ts';
import { checkLonLat } from '../geo/input.ts';
import { backStatusOf, reported } from '../live/liveness.ts';
import { readOnStandby } from '../db/replica.ts';

/** How long tracks are kept: long enough to review a week's patrols and a dispute, short for personal data. */
export const TRACK_DAYS = 7;
/** The longest window one track request may cover. */
const MAX_TRACK_HOURS = 24;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function checkFixTime(t: string | undefined, where: string): Date {
  const d = t ? new Date(t) : new Date();
  if (Number.isNaN(d.getTime())) throw new BadRequestError(`${where}: t is not a date-time`);
  if (d.getTime() > Date.now() + 5 * 60_000) throw new BadRequestError(`${where}: t ${d.toISOString()} is in the future`);
  return d;
}

export async function listPersonnel(db: pg.Pool, seesPeople: boolean): Promise<PersonnelList> {
  return readOnStandby(db, async () => {
    const staff = seesPeople ? (await db.query<StaffItem & { duty_since: Date | null; updated_at: Date | null }>(
      `SELECT id, name, role_kind, trim(grid_code) AS grid_code, status, duty_since, updated_at, ST_X(last_position) AS lon, ST_Y(last_position) AS lat
       FROM staff WHERE on_duty ORDER BY id`)).rows.map((r) => ({ ...r, duty_since: iso(r.duty_since), updated_at: iso(r.updated_at) })) : [];
    const { rows: devices } = await db.query<DeviceItem & { updated_at: Date | null }>(
      `SELECT id, code, kind, status, staff_id, updated_at, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM devices ORDER BY id`);
    return { staff_visible: seesPeople, staff, devices: devices.map((d) => ({ ...d, updated_at: iso(d.updated_at) })) };
  });
}

interface DutyRow { on_duty: boolean; sharing: boolean; status: MyDuty['status']; duty_since: Date | null }
const asDuty = (r: DutyRow | undefined): MyDuty =>
  (r ? { on_duty: r.on_duty, sharing: r.sharing, status: r.status, duty_since: iso(r.duty_since) } : { on_duty: false, sharing: false, status: 'off_duty', duty_since: null });

export async function myDuty(db: pg.Pool, user: User): Promise<MyDuty> {
  return readOnStandby(db, async () => {
    const { rows: [r] } = await db.query<DutyRow>('SELECT on_duty, sharing, status, duty_since FROM staff WHERE user_id = $1', [user.id]);
    return asDuty(r);
  });
}

/** 上岗 / 下岗 and the sharing opt-in. Off duty (or not sharing) the last position is forgotten and the liveness too. */
export async function setDuty(pool: pg.Pool, user: User, body: DutyBody, from: { ip: string }): Promise<MyDuty> {
  const sharing = body.on_duty && body.sharing;
  return inTransaction(pool, async (tx) => {
    const { rows: [before] } = await tx.query<DutyRow & { id: number }>('SELECT id, on_duty, sharing, status, duty_since FROM staff WHERE user_id = $1 FOR UPDATE', [user.id]);
    let row: DutyRow & { id: number };
    if (!before) {
      ({ rows: [row] } = await tx.query(
        `INSERT INTO staff (user_id, name, role_kind, grid_code, on_duty, sharing, duty_since, status)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $5 THEN now() END, CASE WHEN $5 THEN 'on_duty' ELSE 'off_duty' END)
         RETURNING id, on_duty, sharing, status, duty_since`,
        [user.id, user.display_name, body.role_kind ?? 'grid_worker', user.grids[0] ?? null, body.on_duty, sharing]));
    } else {
      ({ rows: [row] } = await tx.query(
        `UPDATE staff SET on_duty = $2, sharing = $3, role_kind = coalesce($4, role_kind),
                duty_since = CASE WHEN NOT $2 THEN NULL WHEN on_duty THEN duty_since ELSE now() END,
                status = CASE WHEN $2 THEN 'on_duty' ELSE 'off_duty' END,
                last_position = CASE WHEN $3 THEN last_position END
         WHERE id = $1 RETURNING id, on_duty, sharing, status, duty_since`, [before.id, body.on_duty, sharing, body.role_kind ?? null]));
    }
    // Not reporting any more: the sweep must not read the silence as a fault.
    if (!sharing) await tx.query(`DELETE FROM liveness WHERE thing = 'staff' AND id = $1`, [row.id]);
    await audit(tx, { user }, from, {
      action: 'personnel.duty', entity: 'staff', entity_id: row.id,
      before: before ? { on_duty: before.on_duty, sharing: before.sharing } : null, after: { on_duty: row.on_duty, sharing: row.sharing },
    });
    return asDuty(row);
  });
}

/**
 * One statement for staff fixes, from the field app (one) or a gateway (many): fixes of anyone off duty or
 * not sharing are dropped; the others' track points, newest position, liveness and return from offline are
 * written together. Staff are named by `by` ($1: their ids or their accounts' ids) and locked in id order, so
 * concurrent reports queue rather than deadlock. The field app's fixes come by the thousand a minute, and a
 * transaction of a round trip per step spent more time waiting than working.
 */
function storeFixesSql(by: 'id' | 'user_id'): string {
  return `WITH f AS (SELECT * FROM unnest($1::int[], $2::timestamptz[], $3::float8[], $4::float8[]) AS u(k, t, x, y)),
     st AS (SELECT s.id, s.${by} AS k FROM staff s WHERE s.${by} = ANY($1::int[]) AND s.on_duty AND s.sharing ORDER BY s.id FOR UPDATE),
     ok AS (SELECT st.id, f.t, ST_SetSRID(ST_MakePoint(f.x, f.y), 4326) AS g FROM f JOIN st ON st.k = f.k),
     last AS (SELECT DISTINCT ON (id) id, t, g FROM ok ORDER BY id, t DESC),
     up AS (UPDATE staff t SET
              last_position = CASE WHEN t.updated_at IS NULL OR t.updated_at < l.t THEN l.g ELSE t.last_position END,
              updated_at = greatest(t.updated_at, l.t),
              status = CASE WHEN t.status = 'offline' THEN ${backStatusOf('staff')} ELSE t.status END
            FROM last l WHERE t.id = l.id RETURNING t.id),
     pt AS (INSERT INTO track_points (thing, id, t, geom) SELECT 'staff', id, t, g FROM ok ON CONFLICT DO NOTHING RETURNING 1),
     lv AS (INSERT INTO liveness (thing, id, last_seen_at) SELECT 'staff', id, now() FROM up ORDER BY id
            ON CONFLICT (thing, id) DO UPDATE SET last_seen_at = excluded.last_seen_at)
     SELECT (SELECT count(*)::int FROM up) AS people, (SELECT count(*)::int FROM ok) AS kept, (SELECT count(*)::int FROM pt) AS stored`;
}
const FIXES_BY_STAFF = storeFixesSql('id');
const FIXES_BY_ACCOUNT = storeFixesSql('user_id');

interface FixesStored { people: number; kept: number; stored: number }

/** A fix from the field app: refused (409) off duty or without the sharing opt-in. */
export async function reportMyPosition(pool: pg.Pool, user: User, body: MyPositionBody): Promise<{ stored: boolean }> {
  checkLonLat(body.lon, body.lat, 'position');
  const t = checkFixTime(body.t, 'position');
  const { rows: [r] } = await pool.query<FixesStored>({ name: 'fixes_by_account', text: FIXES_BY_ACCOUNT, values: [[user.id], [t], [body.lon], [body.lat]] });
  if (r.people === 0) {
    const { rows: [s] } = await pool.query<{ on_duty: boolean }>('SELECT on_duty FROM staff WHERE user_id = $1', [user.id]);
    if (!s?.on_duty) throw new ConflictError('not on duty: positions are sent only on duty (POST /api/personnel/me/duty)');
    throw new ConflictError('position sharing is off: positions are stored only when shared');
  }
  return { stored: r.stored > 0 };
}

export interface StaffFix { staff_id: number; t: Date; lon: number; lat: number }

/**
 * Fixes of several staff at once (a field gateway, or `npm run simulate` for the seeded staff), by the
 * same statement as the field app's: fixes of anyone off duty or not sharing are dropped, not stored.
 */
export async function reportStaffPositions(pool: pg.Pool, fixes: readonly StaffFix[]): Promise<{ stored: number; refused: number }> {
  if (!fixes.length) return { stored: 0, refused: 0 };
  fixes.forEach((f, i) => { checkLonLat(f.lon, f.lat, `positions[${i}]`); checkFixTime(f.t.toISOString(), `positions[${i}]`); });
  const { rows: [r] } = await pool.query<FixesStored>({
    name: 'fixes_by_staff', text: FIXES_BY_STAFF,
    values: [fixes.map((f) => f.staff_id), fixes.map((f) => f.t), fixes.map((f) => f.lon), fixes.map((f) => f.lat)],
  });
  return { stored: r.stored, refused: fixes.length - r.kept };
}

/** Device positions and status from the ingest feed (one audited batch). */
export async function ingestDevices(pool: pg.Pool, reports: DeviceReport[], actor: Actor, from: { ip: string } | null): Promise<DevicesIngested> {
  if (!reports.length || reports.length > MAX_BATCH) throw new BadRequestError(`give 1–${MAX_BATCH} device reports`);
  const times = reports.map((r, i) => {
    if ((r.lon == null) !== (r.lat == null)) throw new BadRequestError(`devices[${i}]: give both lon and lat, or neither`);
    if (r.lon != null) checkLonLat(r.lon, r.lat!, `devices[${i}]`);
    return checkFixTime(r.t, `devices[${i}]`);
  });
  return inTransaction(pool, async (tx) => {
    const ids = [...new Set(reports.map((r) => r.device_id))].sort((a, b) => a - b);
    const { rows } = await tx.query<{ id: number }>('SELECT id FROM devices WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE', [ids]);
    const unknown = ids.filter((id) => !rows.some((r) => r.id === id));
    if (unknown.length) throw new BadRequestError(`unknown device${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 10).join(', ')}`);
    const fixes = reports.map((r, i) => ({ ...r, at: times[i] })).filter((r) => r.lon != null);
    const { rowCount } = fixes.length ? await tx.query(
      `INSERT INTO track_points (thing, id, t, geom)
       SELECT 'device', d, t, ST_SetSRID(ST_MakePoint(x, y), 4326) FROM unnest($1::int[], $2::timestamptz[], $3::float8[], $4::float8[]) AS u(d, t, x, y)
       ON CONFLICT DO NOTHING`, [fixes.map((f) => f.device_id), fixes.map((f) => f.at), fixes.map((f) => f.lon), fixes.map((f) => f.lat)]) : { rowCount: 0 };
    // Stamp liveness first (it brings an offline device back), then the newest report's position and status.
    await reported(tx, 'device', ids);
    await tx.query(
      `UPDATE devices d SET geom = coalesce(ST_SetSRID(ST_MakePoint(l.x, l.y), 4326), d.geom), status = coalesce(l.s, d.status), updated_at = l.t
       FROM (SELECT DISTINCT ON (d) d, t, x, y, s FROM unnest($1::int[], $2::timestamptz[], $3::float8[], $4::float8[], $5::text[]) AS u(d, t, x, y, s)
             ORDER BY d, t DESC) l
       WHERE d.id = l.d AND (d.updated_at IS NULL OR l.t >= d.updated_at)`,
      [reports.map((r) => r.device_id), times, reports.map((r) => r.lon ?? null), reports.map((r) => r.lat ?? null), reports.map((r) => r.status ?? null)]);
    const result = { received: reports.length, positions: rowCount ?? 0 };
    await audit(tx, actor, from, { action: 'ingest.devices', entity: 'device', entity_id: null, after: { ...result, devices: ids } });
    return result;
  });
}

export async function trackOf(db: pg.Pool, thing: 'staff' | 'device', id: number, fromT: string, toT: string): Promise<Track> {
  return readOnStandby(db, async () => {
    const from = new Date(fromT); const to = new Date(toT);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to < from) throw new BadRequestError('from and to must be date-times, from before to');
    if (to.getTime() - from.getTime() > MAX_TRACK_HOURS * 3600_000) throw new BadRequestError(`a track window is at most ${MAX_TRACK_HOURS} hours`);
    const { rows: [exists] } = await db.query(`SELECT 1 FROM ${thing === 'staff' ? 'staff' : 'devices'} WHERE id = $1`, [id]);
    if (!exists) throw new NotFoundError(`no ${thing} ${id}`);
    const { rows } = await db.query<{ p: [number, number, number] }>(
      `SELECT json_build_array(round(ST_X(geom)::numeric, 6), round(ST_Y(geom)::numeric, 6), extract(epoch FROM t)::bigint) AS p
       FROM track_points WHERE thing = $1 AND id = $2 AND t BETWEEN $3 AND $4 ORDER BY t`, [thing, id, from, to]);
    return { thing, id, path: rows.map((r) => r.p) };
  });
}

/** Drops track points older than TRACK_DAYS at `now` (housekeeping, with the liveness sweep). */
export async function pruneTracks(db: pg.Pool, now: Date = new Date()): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM track_points WHERE t < $1::timestamptz - make_interval(days => $2)`, [now, TRACK_DAYS]);
  return rowCount ?? 0;
}

interface FileRow { id: number; file_no: string; case_id: string; staff_id: number | null; title: string; status: 'open' | 'closed'; opened_at: Date }
const asFile = (r: FileRow) => ({ ...r, opened_at: r.opened_at.toISOString() });

export async function enforcementFiles(db: pg.Pool, caseId: string) {
  return readOnStandby(db, async () => {
    const { rows } = await db.query<FileRow>('SELECT id, file_no, case_id::text, staff_id, title, status, opened_at FROM enforcement_files WHERE case_id = $1 ORDER BY id', [caseId]);
    return { items: rows.map(asFile) };
  });
}

/** 执法案卷: opened on a case by the officer asking (their staff row, if any), numbered ZF-<year>-<id>. */
export async function openEnforcementFile(pool: pg.Pool, user: User, body: EnforcementFileBody, from: { ip: string }) {
  return inTransaction(pool, async (tx) => {
    const { rows: [c] } = await tx.query('SELECT 1 FROM cases WHERE id = $1', [body.case_id]);
    if (!c) throw new NotFoundError(`no case ${body.case_id}`);
    const { rows: [f] } = await tx.query<FileRow>(
      `WITH n AS (SELECT nextval(pg_get_serial_sequence('enforcement_files', 'id'))::int AS id)
       INSERT INTO enforcement_files (id, file_no, case_id, staff_id, title)
       SELECT n.id, 'ZF-' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY') || '-' || lpad(n.id::text, 6, '0'), $1, (SELECT id FROM staff WHERE user_id = $2), $3 FROM n
       RETURNING id, file_no, case_id::text, staff_id, title, status, opened_at`, [body.case_id, user.id, body.title]);
    await audit(tx, { user }, from, { action: 'enforcement.open', entity: 'case', entity_id: body.case_id, after: { file_no: f.file_no, title: f.title } });
    return asFile(f);
  });
}
