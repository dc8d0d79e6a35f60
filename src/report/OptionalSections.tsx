// The report's design checks and longitudinal profile: each asks its API and prints what comes back, or
// says the section is not available (an area has no profile; a server that fails leaves the rest printable).
import { useEffect, useState } from 'react';
import { getJson } from '../api/client.ts';
import type { ChecksResult, Finding } from '../../common/api/network.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { findingReason } from '../panels/checks/checkWords.ts';

type Loaded<T> = { state: 'loading' } | { state: 'none' } | { state: 'ready'; value: T };

function useOptional<T>(url: string | null, read: (body: unknown) => T | null): Loaded<T> {
  const [s, setS] = useState<Loaded<T>>(url ? { state: 'loading' } : { state: 'none' });
  useEffect(() => {
    if (!url) return;
    const abort = new AbortController();
    getJson<unknown>(url, abort.signal).then((b) => {
      const v = read(b);
      setS(v === null ? { state: 'none' } : { state: 'ready', value: v });
    }, () => {
      if (!abort.signal.aborted) setS({ state: 'none' });
    });
    return () => abort.abort();
  }, [url]);
  return s;
}

function readFindings(body: unknown): Finding[] | null {
  const list = (body as ChecksResult | null)?.findings;
  return Array.isArray(list) ? list : null;
}

export function ChecksSection({ query, onSettled }: { query: string; onSettled(): void }) {
  const { t, num } = useI18n();
  const s = useOptional(`/api/network/checks?${query}`, readFindings);
  useEffect(() => {
    if (s.state !== 'loading') onSettled();
  }, [s.state]);
  return (
    <section className="report-section" data-testid="report-checks" data-state={s.state}>
      <h2>{t('report.checks')}</h2>
      {s.state === 'loading' && <p className="report-note">{t('report.loading')}</p>}
      {s.state === 'none' && <p className="report-note">{t('report.checksNone')}</p>}
      {s.state === 'ready' && (s.value.length === 0 ? <p className="report-note">{t('report.checksClean')}</p> : (
        <table className="report-table">
          <thead><tr><th>#</th><th>{t('report.col.severity')}</th><th>{t('report.col.check')}</th><th>{t('report.col.subject')}</th><th>{t('report.col.reason')}</th></tr></thead>
          <tbody>
            {s.value.map((f, i) => (
              <tr key={i}>
                <td>{num(i + 1)}</td><td>{t(`check.severity.${f.severity}` as MessageKey)}</td><td>{t(`check.${f.code}` as MessageKey)}</td>
                <td>{f.pipe?.code ?? f.manhole?.code ?? ''}</td><td>{findingReason(f, { t, num })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}

interface Station { chainage: number; ground: number | null; invert: number | null; crown: number | null }

function readStations(body: unknown): Station[] | null {
  const list = (body as { stations?: unknown } | null)?.stations;
  if (!Array.isArray(list) || list.length < 2) return null;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return list.map((s: Record<string, unknown>) => ({ chainage: n(s.chainage_m) ?? 0, ground: n(s.ground_m), invert: n(s.invert_m), crown: n(s.crown_m) }));
}

/** A trace from a manhole has a profile along its flow; an area has none. */
export function ProfileSection({ from, onSettled }: { from: string | null; onSettled(): void }) {
  const { t } = useI18n();
  const s = useOptional(from?.startsWith('manhole:') ? `/api/network/profile?from=${from}` : null, readStations);
  useEffect(() => {
    if (s.state !== 'loading') onSettled();
  }, [s.state]);
  return (
    <section className="report-section report-profile" data-testid="report-profile" data-state={s.state}>
      <h2>{t('report.profile')}</h2>
      {s.state === 'loading' && <p className="report-note">{t('report.loading')}</p>}
      {s.state === 'none' && <p className="report-note">{t(from ? 'report.profileNone' : 'report.profileArea')}</p>}
      {s.state === 'ready' && <ProfileSvg stations={s.value} />}
    </section>
  );
}

function ProfileSvg({ stations }: { stations: Station[] }) {
  const { t } = useI18n();
  const W = 1000;
  const H = 260;
  const levels = stations.flatMap((s) => [s.ground, s.invert, s.crown]).filter((v): v is number => v !== null);
  const lo = Math.min(...levels) - 0.5;
  const hi = Math.max(...levels) + 0.5;
  const len = stations[stations.length - 1].chainage || 1;
  const x = (c: number) => 40 + (c / len) * (W - 60);
  const y = (v: number) => 10 + ((hi - v) / (hi - lo || 1)) * (H - 40);
  const line = (get: (s: Station) => number | null) =>
    stations.filter((s) => get(s) !== null).map((s) => `${x(s.chainage).toFixed(1)},${y(get(s)!).toFixed(1)}`).join(' ');
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="report-profile-svg" role="img" aria-label={t('report.profile')}>
      <polyline points={line((s) => s.ground)} fill="none" stroke="#6b4f2a" strokeWidth={2} />
      <polyline points={line((s) => s.crown)} fill="none" stroke="#1c7ed6" strokeWidth={1.5} />
      <polyline points={line((s) => s.invert)} fill="none" stroke="#1c7ed6" strokeWidth={1.5} />
      <text x={40} y={H - 8} fontSize={12}>0 m</text>
      <text x={W - 20} y={H - 8} fontSize={12} textAnchor="end">{`${Math.round(len)} m`}</text>
    </svg>
  );
}
