// What waits on the phone to be sent: a new report, or a workflow step on one of my cases, each with the
// photos taken for it.
import type { CaseAction, CaseStatus } from '../../api/caseTypes.ts';

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

export type OutboxItem = QueuedReport | QueuedStep;

/** What became of a sent item, for the UI's "sent" notice. */
export interface SentNotice {
  item: OutboxItem;
  caseId: number;
  caseNo: string;
  /** The server had it already (a retry after a lost answer). */
  duplicate: boolean;
}
