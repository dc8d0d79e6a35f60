// Open311 GeoReport v2 over our cases (the 数字城管 ↔ Open311 crosswalk): service_code = case item
// (小类), group = subclass (大类), service_request_id = 案卷号, open/closed from the workflow, status_notes
// from its status, expected_datetime = the deadline.
// What is public (as FixMyStreet does it, with consent as the default off under PIPL): only citizens'
// reports are requests (an inspector's, a camera's or a sensor's case is staff's, and answers 404); their
// description, address text and photo only when the reporter agreed (x_publish=true); never the reporter,
// their contact, staff notes or step photos. service_request_id stays the sequential 案卷号 (Open311 clients
// need it): guessing one finds only what the list shows anyway.
import type pg from 'pg';
import type { Evaluated, EvaluationLevel, Service, ServiceRequest } from '../../common/api/open311.ts';
import { consentedSql, inGridsSql, publicCaseSql, readerGrids, type Reader } from './access.ts';
import { evaluateCase } from './store.ts';
import { open311Status, open311StatusNotes, type Status } from '../domain/cases/workflow.ts';
import { NotFoundError } from '../http/errors.ts';
import { readOnStandby } from '../db/replica.ts';

export const AGENCY = '武昌区城市管理指挥中心 Wuchang District City Management Command Centre';
/** Open311: a request list covers at most 90 days, the last 90 by default. */
export const MAX_WINDOW_DAYS = 90;
export const MAX_REQUESTS = 1000;

/** The service list (the case catalogue): a standby may answer. */
export async function services(db: pg.Pool): Promise<Service[]> {
  return readOnStandby(db, async () => {
    const { rows } = await db.query<{ code: string; name_zh: string; name_en: string; urgency: string; deadline_hours: number; group_zh: string; group_en: string }>(
      `SELECT i.code, i.name_zh, i.name_en, i.urgency, i.deadline_hours, s.name_zh AS group_zh, s.name_en AS group_en
       FROM case_items i JOIN case_subclasses s ON s.code = i.subclass_code ORDER BY i.code`);
    return rows.map((r) => ({
      service_code: r.code,
      service_name: r.name_zh,
      description: `${r.name_zh} (${r.name_en}); ${r.urgency === 'urgent' ? '紧急 urgent' : '一般 normal'}, 处置时限 ${r.deadline_hours} h from dispatch`,
      metadata: false,
      type: 'realtime',
      keywords: `${r.name_en}, ${r.group_en}`,
      group: r.group_zh,
    }));
  });
}

interface RequestRow {
  case_no: string; status: Status; item_code: string; item_name: string; description: string | null; reported_at: Date;
  updated_at: Date; deadline_at: Date | null; address: string | null; lon: number; lat: number; photo: string | null;
  department_zh: string | null; department_en: string | null;
}

export function requestView(r: RequestRow, baseUrl: string): ServiceRequest {
  const notes = open311StatusNotes(r.status, r.department_zh && r.department_en ? { zh: r.department_zh, en: r.department_en } : null);
  return {
    service_request_id: r.case_no,
    status: open311Status(r.status),
    status_notes: `${notes.zh} ${notes.en}`,
    service_name: r.item_name,
    service_code: r.item_code,
    description: r.description,
    agency_responsible: AGENCY,
    service_notice: null,
    requested_datetime: r.reported_at.toISOString(),
    updated_datetime: r.updated_at.toISOString(),
    expected_datetime: r.deadline_at?.toISOString() ?? null,
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat,
    long: r.lon,
    media_url: r.photo ? `${baseUrl}/api/media/${r.photo}` : null,
  };
}

const REQUEST_SQL = `SELECT c.case_no, c.status, c.item_code, i.name_zh AS item_name, c.reported_at, c.updated_at, c.deadline_at,
  ${consentedSql('c', 'description')} AS description, ${consentedSql('c', 'address')} AS address,
  ${consentedSql('c', 'photos[1]')}::text AS photo, ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat,
  d.name_zh AS department_zh, d.name_en AS department_en
  FROM cases c JOIN case_items i ON i.code = c.item_code LEFT JOIN departments d ON d.code = c.department_code`;

/**
 * Public requests; a field worker's (the reader) only in their grids, as every read of a case. On the primary:
 * an Open311 client reads its request back right after reporting it and knows nothing of our read-your-writes
 * position (the onemap-lsn header or cookie).
 */
export async function findRequests(db: pg.Pool, q: {
  ids?: string[]; service_code?: string; start?: Date; end?: Date; status?: 'open' | 'closed'; near?: { lon: number; lat: number; radius_m: number };
}, reader: Reader) {
  const values: unknown[] = [];
  const where: string[] = [publicCaseSql('c')];
  const add = (sql: string, v: unknown) => { values.push(v); where.push(sql.replaceAll('?', `$${values.length}`)); };
  const grids = readerGrids(reader);
  if (grids) add(inGridsSql('c.grid_code', '?'), grids);
  if (q.ids?.length) add('c.case_no = ANY(?::text[])', q.ids);
  else {
    add('c.reported_at >= ?', q.start);
    add('c.reported_at < ?', q.end);
  }
  if (q.service_code) add('c.item_code = ?', q.service_code);
  if (q.near) {
    // The box first (the GiST index), then the exact geodesic distance.
    values.push(q.near.lon, q.near.lat, q.near.radius_m);
    const [x, y, r] = [values.length - 2, values.length - 1, values.length].map((i) => `$${i}`);
    where.push(`c.geom && ST_Expand(ST_SetSRID(ST_MakePoint(${x}, ${y}), 4326), ${r}::float8 / 90000)`);
    where.push(`ST_DWithin(c.geom::geography, ST_SetSRID(ST_MakePoint(${x}, ${y}), 4326)::geography, ${r})`);
  }
  if (q.status === 'open') where.push('case_is_open(c.status)');
  if (q.status === 'closed') where.push('NOT case_is_open(c.status)');
  const { rows } = await db.query<RequestRow>(`${REQUEST_SQL} WHERE ${where.join(' AND ')} ORDER BY c.reported_at DESC LIMIT ${MAX_REQUESTS}`, values);
  return rows;
}

/**
 * The reporter's verdict on their request, with the token given when it was made (its SHA-256 is what the
 * case keeps). A wrong token answers as an unknown request: it tells nothing of the case.
 */
export async function evaluateRequest(db: pg.Pool, caseNo: string, tokenHash: Buffer, verdict: { satisfied: boolean; comment?: string; level?: EvaluationLevel }): Promise<Evaluated> {
  const { rows: [c] } = await db.query<{ id: string; reporter: string | null; secret: Buffer | null }>(
    'SELECT id, reporter, reporter_secret_hash AS secret FROM cases WHERE case_no = $1', [caseNo]);
  if (!c || !c.secret || !c.secret.equals(tokenHash)) throw new NotFoundError('no such request, or the token does not match it');
  const e = await evaluateCase(db, Number(c.id), verdict, { name: c.reporter ?? 'citizen', role: 'citizen' });
  return { service_request_id: caseNo, satisfied: e.satisfied, comment: e.comment ?? null, x_level: e.level ?? null };
}

// ---- XML ------------------------------------------------------------------------------------------

/**
 * Characters XML 1.0 has no place for, not even escaped (C0 controls but tab, newline and return; lone
 * surrogates; U+FFFE, U+FFFF): a stored report may hold them (JSON carries them), so XML drops them
 * rather than write a document no parser reads.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const esc = (s: string) => s.replace(NOT_XML_CHAR, '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) return `<${name}>${value.map((v) => element(name.replace(/s$/, ''), v)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([k, v]) => element(k, v)).join('')}</${name}>`;
  return `<${name}>${esc(String(value))}</${name}>`;
}

/** A list as Open311 XML: <services><service>…</service></services>, <service_requests><request>…, <errors><error>…. */
export function toXml(root: 'services' | 'service_requests' | 'errors' | 'service_definition', items: unknown): string {
  const child = { services: 'service', service_requests: 'request', errors: 'error', service_definition: '' }[root];
  const body = Array.isArray(items) ? items.map((i) => element(child, i)).join('') : Object.entries(items as object).map(([k, v]) => element(k, v)).join('');
  return `<?xml version="1.0" encoding="utf-8"?><${root}>${body}</${root}>`;
}
