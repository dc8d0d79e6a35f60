// What waits on the phone to be sent, each with the photos taken for it: from the field app, a new report
// or a workflow step on one of my cases; from the citizen page (no account), a report through Open311 or a
// supplement (补充) to someone's report.
import type { CaseAction, CaseStatus } from '../api/caseTypes.ts';

export interface QueuedPhoto {
  bytes: ArrayBuffer;
  type: string;
  /** The server's id once uploaded: a retry after a lost connection does not upload it again. */
  uploadedId?: string;
  /** When it was uploaded (ms): the server removes a photo no case took after a day, so an old one is sent again. */
  uploadedAt?: number;
}

interface Common {
  /** Also the report's client_id: the server makes the case once whatever the number of retries. */
  id: string;
  /** The account the submission belongs to; another account on the same phone does not send it. */
  user: string;
  createdAt: number;
  photos: QueuedPhoto[];
  attempts: number;
  /** Not before this time (ms), after a failed attempt. */
  nextAt: number;
  /** Why the last attempt failed: transient (retrying) or final (`failed`). */
  error?: string;
  /** A final error (the server refused it): kept for the user to see, never retried by itself. */
  failed?: boolean;
  /** Needs a login first (the session expired while it waited). */
  needsLogin?: boolean;
}

export interface QueuedReport extends Common {
  kind: 'report';
  item_code: string;
  /** The item's name when queued, for the pending list. */
  label: string;
  lon: number;
  lat: number;
  description: string;
}

export interface QueuedStep extends Common {
  kind: 'step';
  caseId: number;
  caseNo: string;
  action: CaseAction;
  /** The status the step starts from and the one it leads to: how a 409 on a retry is recognised as done. */
  from: CaseStatus;
  to: CaseStatus;
  note?: string;
  reason?: string;
}

/** The outbox's "account" for the citizen page: not an account name (those have no spaces). */
export const CITIZEN = 'citizen (no account)';

export interface QueuedCitizenReport extends Common {
  kind: 'citizen-report';
  service_code: string;
  label: string;
  lon: number;
  lat: number;
  description: string;
  address: string;
  /** Consent to show the description, address and photo publicly. */
  publish: boolean;
  /** Made on the phone and sent with the report: the same report re-sent is answered with the same request. */
  token: string;
}

export interface QueuedSupplement extends Common {
  kind: 'supplement';
  /** The request (案卷号) it is added to. */
  requestId: string;
  description: string;
}

export type FieldItem = QueuedReport | QueuedStep;
export type CitizenItem = QueuedCitizenReport | QueuedSupplement;
export type OutboxItem = FieldItem | CitizenItem;

/** What became of a sent item, for the UI's "sent" notice. */
export interface SentNotice {
  item: OutboxItem;
  /** The case's id: known to staff only (null for the citizen page's sends). */
  caseId: number | null;
  caseNo: string;
  /** The server had it already (a retry after a lost answer). */
  duplicate: boolean;
}
