// The operator's settings from the environment, checked before anything starts: a value that cannot be
// right stops the server with a message saying what to write instead, rather than running open (a
// guessable feed key) or quietly ignoring it.
import { isIP } from 'node:net';
import { listFromEnv } from './web-security.ts';
import { ALARM_UNIT_LEVELS, DEFAULT_ACK_MINUTES, type AckMinutes, type AlarmUnitLevel } from './domain/alarm-handling.ts';

/** A setting that stops the server; its message is all the operator needs to see. */
export class SettingError extends Error {}

/** Characters of ONEMAP_INGEST_KEY at least: 32 random ones are beyond guessing through any rate of requests. */
export const MIN_INGEST_KEY_LENGTH = 32;

/** ONEMAP_INGEST_KEY: the key a sensor/GPS/video feed sends as X-Ingest-Key; unset, only accounts ingest. */
export function checkIngestKey(key: string | undefined): string | undefined {
  if (!key) return undefined;
  if (key.length < MIN_INGEST_KEY_LENGTH) {
    throw new SettingError(`ONEMAP_INGEST_KEY has ${key.length} characters; it must have at least ${MIN_INGEST_KEY_LENGTH} (for example the output of \`openssl rand -hex 32\`)`);
  }
  return key;
}

/** Names proxy-addr (Fastify's trustProxy) knows for address ranges. */
const RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrCidr(s: string): boolean {
  if (RANGE_NAMES.includes(s)) return true;
  const [addr, bits, ...rest] = s.split('/');
  const family = isIP(addr);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

export interface TrustProxy {
  /** For AppOptions.trustProxy: false, true, or the proxies' addresses. */
  value: boolean | string[];
  warning?: string;
}

/**
 * ONEMAP_TRUST_PROXY: the addresses or CIDR ranges of the proxies in front (comma-separated), whose
 * X-Forwarded-For is believed. `true` believes anyone's and is kept for old setups, with a warning.
 */
export function parseTrustProxy(v: string | undefined): TrustProxy {
  const s = (v ?? '').trim();
  if (!s || s === 'false') return { value: false };
  if (s === 'true') {
    return {
      value: true,
      warning: 'ONEMAP_TRUST_PROXY=true believes X-Forwarded-For from anyone: a client can then give itself a new address per request '
        + 'and walk past the login and write rate limits, and forge the address in the audit log. Give the proxies\' addresses instead, e.g. ONEMAP_TRUST_PROXY=127.0.0.1',
    };
  }
  const list = listFromEnv(s);
  const bad = list.filter((a) => !isAddressOrCidr(a));
  if (bad.length || !list.length) {
    throw new SettingError(`ONEMAP_TRUST_PROXY=${JSON.stringify(v)}: ${bad.map((b) => JSON.stringify(b)).join(', ') || 'this'} is not an IP address or CIDR range; `
      + `give the proxies' addresses or ranges comma-separated (e.g. 127.0.0.1,10.0.0.0/8; also ${RANGE_NAMES.join(', ')}), or leave it unset when no proxy is in front`);
  }
  return { value: list };
}

/** ONEMAP_POOL_SIZE: database connections of the server (each is a PostgreSQL backend; mind max_connections). */
export function parsePoolSize(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 2 || n > 500) throw new SettingError(`ONEMAP_POOL_SIZE=${v}: give a whole number from 2 to 500`);
  return n;
}

/** ONEMAP_REPLICA_MAX_LAG_MS: how far behind the primary the read standby may be and still serve reads. */
export function parseReplicaMaxLag(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 3_600_000) throw new SettingError(`ONEMAP_REPLICA_MAX_LAG_MS=${v}: give whole milliseconds from 0 to 3600000`);
  return n;
}

/**
 * ONEMAP_ALARM_ACK_MINUTES: minutes an alarm may wait unacknowledged at each level before it goes up by
 * itself, e.g. `community=10,street=20,district=30`; levels not named keep their default (server/domain/alarm-handling.ts).
 */
export function parseAckMinutes(v: string | undefined): AckMinutes | undefined {
  if (!v?.trim()) return undefined;
  const out: Record<AlarmUnitLevel, number> = { ...DEFAULT_ACK_MINUTES };
  for (const part of v.split(',')) {
    const [level, minutes, ...rest] = part.split('=').map((s) => s.trim());
    const n = Number(minutes);
    if (rest.length || !(ALARM_UNIT_LEVELS as readonly string[]).includes(level) || !Number.isInteger(n) || n < 1 || n > 10_080) {
      throw new SettingError(`ONEMAP_ALARM_ACK_MINUTES=${JSON.stringify(v)}: write level=minutes pairs, comma-separated, with levels ${ALARM_UNIT_LEVELS.join(', ')} and whole minutes 1–10080 (e.g. community=15,street=30,district=60)`);
    }
    out[level as AlarmUnitLevel] = n;
  }
  return out;
}

/**
 * ONEMAP_STREAM_ORIGINS: where camera streams are played from (the video platform's HLS/HTTP-FLV server,
 * e.g. WVP's media server), comma-separated http(s) origins. The page's policy lets video load and be
 * fetched from these and no others; unset, only streams on our own origin play.
 */
export function parseStreamOrigins(v: string | undefined): string[] {
  const list = listFromEnv(v);
  const bad = list.filter((s) => {
    try {
      const u = new URL(s);
      return !(u.protocol === 'http:' || u.protocol === 'https:') || u.pathname !== '/' || u.search !== '' || u.hash !== '' || u.username !== '' || s.endsWith('?') || s.endsWith('#');
    } catch {
      return true;
    }
  });
  if (bad.length) {
    throw new SettingError(`ONEMAP_STREAM_ORIGINS=${JSON.stringify(v)}: ${bad.map((b) => JSON.stringify(b)).join(', ')} is not an http(s) origin; `
      + 'give scheme, host and port only, comma-separated (e.g. https://video.example.gov.cn,http://10.1.2.3:8080), no path');
  }
  return list.map((s) => new URL(s).origin);
}
