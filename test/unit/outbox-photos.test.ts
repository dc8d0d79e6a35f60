// A queued photo's upload is named by id only while the server surely keeps it (it removes photos no case
// took after a day); older uploads, or ones remembered without a time, are sent again.
import { describe, expect, it } from 'vitest';
import { uploadExpired } from '../../src/outbox/send.ts';

describe('outbox photos', () => {
  const now = Date.UTC(2026, 11, 6, 12);
  it('reuses an upload from the last 12 hours and uploads an older one again', () => {
    expect(uploadExpired({ uploadedAt: now - 60_000 }, now)).toBe(false);
    expect(uploadExpired({ uploadedAt: now - 11.9 * 3600_000 }, now)).toBe(false);
    expect(uploadExpired({ uploadedAt: now - 12 * 3600_000 }, now)).toBe(true);
    expect(uploadExpired({ uploadedAt: now - 30 * 3600_000 }, now)).toBe(true);
  });
  it('counts an upload without a time (queued by an earlier version) as expired', () => {
    expect(uploadExpired({}, now)).toBe(true);
  });
});
