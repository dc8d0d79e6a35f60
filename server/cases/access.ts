// Who may read which case — the one rule every route that reads a case applies (the list, one case, steps,
// KPIs, the identify panel, search, Open311, photos, the live feed):
//  • a field worker reads only the cases of their grids (workflow choice 9). Any other case answers 404,
//    exactly as a case that does not exist: a 403 or 409 would tell that it does;
//  • a handler (处置人员) reads only the cases dispatched to their department (its queue, those cases and
//    their photos); reads across the map (search, identify, tiles' details, the live feed, KPIs) show them
//    no case, as for a field worker without grids;
//  • other accounts read every case;
//  • the public (no account) reads what each public route chooses to show, none of it personal data.
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { currentUser } from '../auth/request-user.ts';
import type { User } from '../auth/users.ts';
import { inDepartment, inGrids, type Actor } from '../domain/cases/workflow.ts';
import { NotFoundError } from '../http/errors.ts';

/** Who reads: an account as the workflow sees it, or null for the public. */
export type Reader = Actor | null;

export const actorOf = (u: User): Actor => ({ id: u.username, role: u.role, grids: u.grids, department: u.department_code });

/** The reader of a request: its account, if it sent a valid session (no query without a token; pool absent: a test catalog, the public). */
export async function readerOf(req: FastifyRequest, db: pg.Pool | undefined): Promise<Reader> {
  const user = db ? await currentUser(req, db) : null;
  return user ? actorOf(user) : null;
}

/**
 * Whether this account may read a case in this grid, dispatched to this department (the public's reads are
 * each route's own). A read that does not know the department (undefined) shows a handler nothing.
 */
export function mayReadCase(reader: Actor, gridCode: string | null | undefined, departmentCode?: string | null): boolean {
  if (reader.role === 'handler') return departmentCode !== undefined && inDepartment(reader, departmentCode);
  return inGrids(reader, gridCode);
}

/** A reader bound to grids reads outside them nothing: the case answers as if it were not there. */
export const outsideGrids = (reader: Reader, gridCode: string | null | undefined, departmentCode?: string | null): boolean =>
  reader !== null && !mayReadCase(reader, gridCode, departmentCode);

/** The grid prefixes a reader is bound to, or null when the reader reads every grid; a handler is bound to none. */
export function readerGrids(reader: Reader): string[] | null {
  if (reader?.role === 'handler') return [];
  if (reader?.role !== 'field') return null;
  return (reader.grids ?? []).map((g) => g.trim()).filter((g) => g !== '');
}

/** The department a handler reads the cases of (undefined: the reader is not department-bound). */
export const readerDepartment = (reader: Reader): string | undefined =>
  reader?.role === 'handler' ? reader.department ?? '' : undefined;

/**
 * The same rule in SQL: a condition on the grid column `col`, with `param` the placeholder bound to
 * readerGrids(reader). Only for readers bound to grids (readerGrids not null); none matches no case.
 */
export const inGridsSql = (col: string, param: string) => `EXISTS (SELECT 1 FROM unnest(${param}::text[]) g WHERE ${col} LIKE g || '%')`;

/** The one answer for a case that is absent or not the reader's: the same words either way. */
export const caseNotFound = (id: number | string) => new NotFoundError(`no case ${id} (or it is outside your grids)`);

/**
 * What the public reads through Open311: citizens' reports, never staff's own (an inspector's report, a
 * camera's or a sensor's). Their description and the photo sent with them only when the reporter agreed.
 */
const PUBLIC_SOURCE = 'citizen';
export const publicCaseSql = (alias: string) => `${alias}.source = '${PUBLIC_SOURCE}'`;

/**
 * Text a citizen typed (the description, the address as they wrote it), for public reads: only with their
 * consent. Staff's own cases are not requests, and their text stays off the public map by its own rules.
 */
export const consentedSql = (alias: string, column: string) => `CASE WHEN ${alias}.publish OR ${alias}.source <> '${PUBLIC_SOURCE}' THEN ${alias}.${column} END`;

/**
 * Who reads a photo: an account reads the photos of the cases it may read, and its own upload before it is
 * attached; the public reads only the photo a citizen sent with a report they agreed to publish. An
 * anonymous upload not yet attached is read by no one: its sender has it, and an address is no identity.
 */
export function mayReadPhoto(user: User | null, photo: {
  uploader_user_id: number | null;
  case: { grid_code: string | null; department_code: string | null; source: string; publish: boolean; with_report: boolean } | null;
}): boolean {
  if (!photo.case) return user !== null && photo.uploader_user_id === user.id;
  if (user) return mayReadCase(actorOf(user), photo.case.grid_code, photo.case.department_code);
  return photo.case.source === PUBLIC_SOURCE && photo.case.publish && photo.case.with_report;
}
