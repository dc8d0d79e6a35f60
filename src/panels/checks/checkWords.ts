// A finding's reason in the reader's language, from its code and figures (the server sends no words).
import type { Finding } from '../../../common/api/network.ts';
import type { I18n, MessageKey } from '../../i18n/index.tsx';

const fmt = (v: number | string | null | undefined, num: I18n['num'], digits = 2) =>
  v === null || v === undefined ? '—' : typeof v === 'number' ? num(v, digits) : v;

export function findingReason(f: Finding, i: Pick<I18n, 't' | 'num'>): string {
  const v = f.values;
  const n = (k: string, d = 2) => fmt(v[k], i.num, d);
  const vars: Record<string, string> = {};
  for (const k of Object.keys(v)) vars[k] = n(k, k.endsWith('_mm') ? 0 : 3);
  if (f.code === 'levels_missing') return i.t(f.pipe ? 'check.reason.levels_missing_pipe' : 'check.reason.levels_missing_manhole', vars);
  if (f.code === 'rain_to_sewage' || f.code === 'sewage_to_rain') {
    vars.usage = i.t(`value.usage.${String(v.usage)}` as MessageKey);
    vars.out_usage = i.t(`value.usage.${String(v.out_usage)}` as MessageKey);
  }
  return i.t(`check.reason.${f.code}` as MessageKey, vars);
}
