// What the citizen page reads and writes besides Open311's own requests: the history of a report as its
// reporter follows it (with the token given at creation), and the supplement (补充) another citizen adds to
// a public report nearby instead of reporting it again.
// The history shows statuses and their public words (open311StatusNotes), never staff's notes, actors or
// step photos. A supplement is its own row (case_supplements): anyone may add one, so it must change
// nothing of the report — not its text, status or photos as the public sees them; staff read it with the case.
import type pg from 'pg';
import type { EvaluationLevel, SupplementAdded, Timeline } from '../../common/api/open311.ts';
import { audit } from '../auth/audit.ts';
import { inTransaction } from '../db/tx.ts';
import { open311Status, open311StatusNotes, type Status } from '../domain/cases/workflow.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { checkStorableText } from '../http/text.ts';
import { publicCaseSql } from './access.ts';
import { attachPhotos } from './media.ts';

const noRequest = () => new NotFoundError('no such request, or the token does not match it');

/** The history of a citizen's request; a wrong token answers as an unknown request. On the primary, as findRequests (open311.ts). */
export async function requestTimeline(db: pg.Pool, caseNo: string, tokenHash: Buffer): Promise<Timeline> {
  const { rows: [c] } = await db.query<{ id: string; status: Status; secret: Buffer | null; evaluation: { satisfied: boolean; comment: string | null; level: EvaluationLevel | null } | null }>(
    `SELECT c.id, c.status, c.reporter_secret_hash AS secret,
       (SELECT json_build_object('satisfied', e.satisfied, 'comment', e.comment, 'level', e.level) FROM case_evaluations e WHERE e.case_id = c.id) AS evaluation
     FROM cases c WHERE c.case_no = $1 AND ${publicCaseSql('c')}`, [caseNo]);
  if (!c?.secret || !c.secret.equals(tokenHash)) throw noRequest();
  const { rows } = await db.query<{ to_status: Status; at: Date }>('SELECT to_status, at FROM case_transitions WHERE case_id = $1 ORDER BY at, id', [c.id]);
  return {
    service_request_id: caseNo,
    status: open311Status(c.status),
    steps: rows.map((t) => {
      const notes = open311StatusNotes(t.to_status);
      return { x_status: t.to_status, status_notes: `${notes.zh} ${notes.en}`, at: t.at.toISOString() };
    }),
    x_may_evaluate: c.status === 'closed' && !c.evaluation,
    x_evaluation: c.evaluation && { service_request_id: caseNo, satisfied: c.evaluation.satisfied, comment: c.evaluation.comment, x_level: c.evaluation.level },
  };
}

/**
 * Adds a citizen's description and photos to an open public request. The same client_id again (a queued
 * supplement re-sent after a lost answer) is the same supplement: kept once, answered as a duplicate.
 */
export async function addSupplement(db: pg.Pool, caseNo: string, s: { client_id: string; description?: string; photos: string[] }, ip: string): Promise<SupplementAdded> {
  checkStorableText({ description: s.description });
  return inTransaction(db, async (tx) => {
    const { rows: [c] } = await tx.query<{ id: string; status: Status }>(
      `SELECT c.id, c.status FROM cases c WHERE c.case_no = $1 AND ${publicCaseSql('c')} FOR SHARE`, [caseNo]);
    if (!c) throw new NotFoundError('no such service request');
    const { rows: [earlier] } = await tx.query<{ case_id: string; n: number }>(
      'SELECT case_id, cardinality(photos) AS n FROM case_supplements WHERE client_id = $1', [s.client_id]);
    if (earlier) {
      if (earlier.case_id !== c.id) throw new ConflictError('x_client_id is already taken by another supplement; send a fresh UUID');
      return { service_request_id: caseNo, x_photos: earlier.n, x_duplicate: true };
    }
    if (open311Status(c.status) === 'closed') throw new ConflictError('the request is closed; report the problem again if it is still there');
    const { rows: [row] } = await tx.query<{ id: string }>(
      'INSERT INTO case_supplements (case_id, client_id, description, photos) VALUES ($1, $2, $3, $4::uuid[]) RETURNING id',
      [c.id, s.client_id, s.description || null, s.photos]);
    // The photos go with the case (its readers read them: staff); the public reads only the report's own.
    await attachPhotos(tx, c.id, s.photos, { anonymousOnly: true, unattachedOnly: true });
    await audit(tx, { name: 'citizen', role: 'citizen' }, { ip }, {
      action: 'case.supplement', entity: 'case', entity_id: Number(c.id), after: { supplement: Number(row.id), photos: s.photos.length },
    });
    return { service_request_id: caseNo, x_photos: s.photos.length, x_duplicate: false };
  });
}
