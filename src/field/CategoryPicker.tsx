// Choosing what is being reported among 435 items: a search box over every item; the drainage items
// first (what this district's inspectors report most during the rainy season); and the standard's tree,
// class → subclass → item, for anything else.
import { useMemo, useState } from 'react';
import type { Catalogue, CatalogueItem } from '../api/caseTypes.ts';
import { useI18n, type Lang } from '../i18n/index.tsx';

const name = (x: { name_zh: string; name_en: string }, lang: Lang) => (lang === 'zh' ? x.name_zh : x.name_en);
/** Drainage items shown before "more". */
const FIRST_DRAINAGE = 12;
/** What an inspector sees on the street first: drainage events (E07: ponding, covers, blockages), other events, then components. */
const rank = (i: CatalogueItem) => (i.subclass_code === 'E07' ? 0 : i.code.startsWith('E') ? 1 : 2);

function matches(item: CatalogueItem, q: string): boolean {
  const s = q.trim().toLowerCase();
  return item.code.toLowerCase().includes(s) || item.name_zh.includes(q.trim()) || item.name_en.toLowerCase().includes(s);
}

export function CategoryPicker({ catalogue, onPick }: { catalogue: Catalogue; onPick(item: CatalogueItem): void }) {
  const { t, lang } = useI18n();
  const [q, setQ] = useState('');
  const [allDrainage, setAllDrainage] = useState(false);
  const [cls, setCls] = useState<string | null>(null);
  const [sub, setSub] = useState<string | null>(null);

  const drainage = useMemo(() => catalogue.items.filter((i) => i.drainage)
    .sort((a, b) => rank(a) - rank(b) || a.code.localeCompare(b.code)), [catalogue]);
  const found = useMemo(() => (q.trim() ? catalogue.items.filter((i) => matches(i, q))
    .sort((a, b) => Number(b.drainage) - Number(a.drainage) || a.code.localeCompare(b.code)).slice(0, 40) : []), [catalogue, q]);

  const itemButton = (i: CatalogueItem) => (
    <li key={i.code}>
      <button type="button" className={`fm-item${i.drainage ? ' drainage' : ''}`} onClick={() => onPick(i)} data-testid="category-item" data-code={i.code}>
        <span>{name(i, lang)}</span>
        {i.drainage && <span className="fm-tag drainage">{t('fm.drainage')}</span>}
        {i.urgency === 'urgent' && <span className="fm-tag urgent">{t('fm.urgent')}</span>}
      </button>
    </li>
  );

  return (
    <div className="fm-category" data-testid="category-picker">
      <input type="search" className="fm-input" placeholder={t('fm.categorySearch')} value={q} onChange={(e) => setQ(e.currentTarget.value)}
        data-testid="category-search" aria-label={t('fm.categorySearch')} />
      {q.trim() ? (
        found.length ? <ul className="fm-items">{found.map(itemButton)}</ul> : <p className="muted">{t('fm.categoryNone')}</p>
      ) : (
        <>
          <h4>{t('fm.drainageItems')}</h4>
          <ul className="fm-items chips" data-testid="category-drainage">{(allDrainage ? drainage : drainage.slice(0, FIRST_DRAINAGE)).map(itemButton)}</ul>
          {!allDrainage && drainage.length > FIRST_DRAINAGE && (
            <button type="button" className="link-button" onClick={() => setAllDrainage(true)}>{t('fm.moreDrainage', { n: drainage.length })}</button>
          )}
          <h4>{t('fm.byCategory')}</h4>
          <nav className="fm-crumbs" aria-label={t('fm.byCategory')}>
            <button type="button" className="link-button" onClick={() => { setCls(null); setSub(null); }}>{t('fm.allClasses')}</button>
            {cls && <> › <button type="button" className="link-button" onClick={() => setSub(null)}>{name(catalogue.classes.find((c) => c.code === cls)!, lang)}</button></>}
            {sub && <> › {name(catalogue.subclasses.find((s) => s.code === sub)!, lang)}</>}
          </nav>
          <ul className="fm-items">
            {!cls && catalogue.classes.map((c) => (
              <li key={c.code}><button type="button" className="fm-item" onClick={() => setCls(c.code)} data-testid="category-class">{name(c, lang)} ›</button></li>
            ))}
            {cls && !sub && catalogue.subclasses.filter((s) => s.class_code === cls).map((s) => (
              <li key={s.code}><button type="button" className="fm-item" onClick={() => setSub(s.code)} data-testid="category-subclass">{name(s, lang)} ›</button></li>
            ))}
            {sub && catalogue.items.filter((i) => i.subclass_code === sub).map(itemButton)}
          </ul>
        </>
      )}
    </div>
  );
}
