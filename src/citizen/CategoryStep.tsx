// Step 1: what the problem is. The common problems as big buttons with icons and plain words; anything else
// by searching the whole Open311 service list (Chinese names, English keywords, codes).
import { useMemo, useState } from 'react';
import type { Service } from '../../common/api/open311.ts';
import { useI18n } from '../i18n/index.tsx';
import { CategoryIconSvg, COMMON, iconOf, plainWords } from './categories.tsx';

const MAX_FOUND = 30;

export function CategoryStep({ services, chosen, onChoose }: { services: Service[]; chosen: Service | null; onChoose(s: Service | null): void }) {
  const { t, tr } = useI18n();
  const [q, setQ] = useState('');
  const byCode = useMemo(() => new Map(services.map((s) => [s.service_code, s])), [services]);
  const found = useMemo(() => {
    const s = q.trim().toLowerCase();
    if (!s) return [];
    return services.filter((x) => x.service_name.includes(q.trim()) || x.keywords.toLowerCase().includes(s) || x.service_code.toLowerCase() === s
      || tr(`citizen.cat.${x.service_code}`, '').includes(q.trim())).slice(0, MAX_FOUND);
  }, [services, q, tr]);

  if (chosen) {
    return (
      <div className="cz-chosen" data-testid="cz-chosen" data-code={chosen.service_code}>
        <CategoryIconSvg icon={iconOf(chosen.service_code)} />
        <span><strong>{plainWords(tr, chosen)}</strong><span className="muted"> · {chosen.group}</span></span>
        <button type="button" className="link-button" onClick={() => onChoose(null)} data-testid="cz-change">{t('citizen.change')}</button>
      </div>
    );
  }
  // Until the service list arrives (from the network, or offline from the worker's last copy).
  if (!services.length) return <span className="spinner" data-testid="cz-services-loading" aria-label={t('common.loading')} />;
  return (
    <div data-testid="cz-categories">
      <h3 className="cz-sub">{t('citizen.common')}</h3>
      <ul className="cz-grid">
        {COMMON.map((c) => byCode.get(c.code)).filter((s): s is Service => !!s).map((s) => (
          <li key={s.service_code}>
            <button type="button" className="cz-cat" onClick={() => onChoose(s)} data-testid="cz-cat" data-code={s.service_code}>
              <CategoryIconSvg icon={iconOf(s.service_code)} />
              <span>{plainWords(tr, s)}</span>
            </button>
          </li>
        ))}
      </ul>
      <h3 className="cz-sub">{t('citizen.other')}</h3>
      <input type="search" className="cz-input" placeholder={t('citizen.search')} aria-label={t('citizen.search')} value={q}
        onChange={(e) => setQ(e.currentTarget.value)} data-testid="cz-search" />
      {q.trim() && (found.length ? (
        <ul className="cz-found">
          {found.map((s) => (
            <li key={s.service_code}>
              <button type="button" className="cz-found-item" onClick={() => onChoose(s)} data-testid="cz-found" data-code={s.service_code}>
                {plainWords(tr, s)} <span className="muted">· {s.group}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : <p className="muted">{t('citizen.none')}</p>)}
    </div>
  );
}
