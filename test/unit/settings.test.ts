// The operator's settings (server/settings.ts): what ONEMAP_TRUST_PROXY and ONEMAP_INGEST_KEY accept, and
// what stops the server.
import { describe, expect, it } from 'vitest';
import { checkIngestKey, MIN_INGEST_KEY_LENGTH, parsePoolSize, parseReplicaMaxLag, parseStreamOrigins, parseTrustProxy, SettingError } from '../../server/settings.ts';

describe('ONEMAP_TRUST_PROXY', () => {
  it('off when unset, empty or false', () => {
    for (const v of [undefined, '', ' ', 'false']) expect(parseTrustProxy(v)).toEqual({ value: false });
  });

  it('takes the proxies\' addresses and CIDR ranges, comma-separated (IPv4, IPv6, proxy-addr\'s range names)', () => {
    expect(parseTrustProxy('127.0.0.1')).toEqual({ value: ['127.0.0.1'] });
    expect(parseTrustProxy(' 10.0.0.0/8, 192.168.1.10 ,::1,fd00::/8,loopback,')).toEqual({ value: ['10.0.0.0/8', '192.168.1.10', '::1', 'fd00::/8', 'loopback'] });
  });

  it('true still works, with a warning that anyone can then forge their address', () => {
    const t = parseTrustProxy('true');
    expect(t.value).toBe(true);
    expect(t.warning).toMatch(/X-Forwarded-For from anyone.*rate limits/);
  });

  it('anything else stops the server, naming the value it cannot read', () => {
    for (const v of ['yes', '1', '2', 'TRUE', '10.0.0.0/33', '::1/129', '300.1.1.1', '10.0.0.1/8/8', 'proxy.example', '10.0.0.0/x', ',']) {
      expect(() => parseTrustProxy(v), v).toThrow(SettingError);
    }
    expect(() => parseTrustProxy('127.0.0.1,localhost')).toThrow(/ONEMAP_TRUST_PROXY="127.0.0.1,localhost": "localhost" is not an IP address or CIDR range/);
  });
});

describe('ONEMAP_INGEST_KEY', () => {
  it('unset means no feed key; a key needs at least 32 characters', () => {
    expect(MIN_INGEST_KEY_LENGTH).toBe(32);
    expect(checkIngestKey(undefined)).toBeUndefined();
    expect(checkIngestKey('')).toBeUndefined();
    const key = 'k'.repeat(32);
    expect(checkIngestKey(key)).toBe(key);
    expect(() => checkIngestKey('k'.repeat(31))).toThrow(/ONEMAP_INGEST_KEY has 31 characters; it must have at least 32/);
    expect(() => checkIngestKey('test-feed-key-0123456789')).toThrow(SettingError);
  });
});

describe('ONEMAP_POOL_SIZE', () => {
  it('a whole number from 2 to 500', () => {
    expect(parsePoolSize(undefined)).toBeUndefined();
    expect(parsePoolSize('24')).toBe(24);
    for (const v of ['1', '501', '2.5', 'lots']) expect(() => parsePoolSize(v), v).toThrow(/ONEMAP_POOL_SIZE/);
  });
});

describe('ONEMAP_REPLICA_MAX_LAG_MS', () => {
  it('whole milliseconds up to an hour; unset: the default', () => {
    expect(parseReplicaMaxLag(undefined)).toBeUndefined();
    expect(parseReplicaMaxLag('2000')).toBe(2000);
    for (const v of ['-1', '1.5', '3600001', 'soon']) expect(() => parseReplicaMaxLag(v), v).toThrow(/ONEMAP_REPLICA_MAX_LAG_MS/);
  });
});

describe('ONEMAP_STREAM_ORIGINS', () => {
  it('http(s) origins only, each as the browser writes it', () => {
    expect(parseStreamOrigins(undefined)).toEqual([]);
    expect(parseStreamOrigins(' https://video.example.gov.cn , http://10.1.2.3:8080/ ')).toEqual(['https://video.example.gov.cn', 'http://10.1.2.3:8080']);
    expect(parseStreamOrigins('HTTP://Media.Example:80')).toEqual(['http://media.example']);
    for (const v of ['rtsp://10.1.2.3', 'https://video.example/live', 'video.example', '*', "'self' https://a.example"]) {
      expect(() => parseStreamOrigins(v), v).toThrow(/ONEMAP_STREAM_ORIGINS/);
    }
  });
});
