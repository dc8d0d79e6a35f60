// Search: streets, communities, grid codes, manhole/pipe codes, camera names, case numbers → fly there
// and select it. Debounced, cancellable, keyboard-driven (↑ ↓ Enter Esc).
import { useEffect, useId, useRef, useState } from 'react';
import type { Geometry } from 'geojson';
import { api } from '../api/endpoints.ts';
import { isAbort } from '../api/client.ts';
import type { SearchResult } from '../api/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { useMapHandle } from '../map/MapContext.ts';
import { searchLine } from './format.ts';
import { Icon } from './Icon.tsx';
import { DETAIL_LAYERS, flyToResult } from './searchTarget.ts';

const DEBOUNCE_MS = 200;
const LIMIT = 12;

type State =
  | { kind: 'idle' }
  | { kind: 'loading'; results: SearchResult[] }
  | { kind: 'done'; results: SearchResult[] }
  | { kind: 'error'; message: string };

export function SearchBox({ onSelect }: { onSelect(layer: string, id: string | number, geometry?: Geometry | null): void }) {
  const i = useI18n();
  const { t, tr } = i;
  const { map } = useMapHandle();
  const [text, setText] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [retry, setRetry] = useState(0);
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  // Closing on blur waits for a click on a result; typing again before then must not be closed by it.
  const blurTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const reopen = () => {
    clearTimeout(blurTimer.current);
    setOpen(true);
  };

  useEffect(() => {
    const q = text.trim();
    if (!q) {
      setState({ kind: 'idle' });
      return;
    }
    const abort = new AbortController();
    setState((s) => ({ kind: 'loading', results: s.kind === 'done' || s.kind === 'loading' ? s.results : [] }));
    const timer = setTimeout(() => {
      api.search(q, LIMIT, abort.signal)
        .then((r) => {
          setState({ kind: 'done', results: r.results });
          setActive(0);
        })
        .catch((e: unknown) => {
          if (!isAbort(e)) setState({ kind: 'error', message: (e as Error).message });
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [text, retry]);

  const results = state.kind === 'done' || state.kind === 'loading' ? state.results : [];

  const choose = (r: SearchResult) => {
    setOpen(false);
    inputRef.current?.blur();
    if (map) flyToResult(map, r);
    const point: Geometry = { type: 'Point', coordinates: [r.lon, r.lat] };
    if (DETAIL_LAYERS.has(r.layer)) {
      onSelect(r.layer, r.id, point);
    } else {
      // Streets and communities: outline the area itself when the server has it.
      onSelect(r.layer, r.id, null);
      api.item(r.layer, r.id).then((f) => onSelect(r.layer, r.id, f.geometry)).catch(() => {});
    }
  };

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(results.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter') {
      const r = results[active];
      if (r) choose(r);
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };

  const showList = open && text.trim() !== '';
  return (
    <div className="search" data-testid="search">
      <div className="search-field">
        <Icon name="search" />
        <input
          ref={inputRef}
          type="search"
          value={text}
          placeholder={t('search.placeholder')}
          aria-label={t('search.label')}
          role="combobox"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          data-testid="search-input"
          onChange={(e) => {
            setText(e.currentTarget.value);
            reopen();
          }}
          onFocus={reopen}
          onBlur={() => { blurTimer.current = setTimeout(() => setOpen(false), 150); }}
          onKeyDown={onKey}
        />
        {state.kind === 'loading' && <span className="spinner" aria-label={t('common.loading')} />}
      </div>
      {showList && (
        <div className="search-results panel-like" id={listId} role="listbox" data-testid="search-results">
          {state.kind === 'error' && (
            <div className="search-message error">
              {t('search.failed')}{' '}
              <button type="button" className="link-button" onMouseDown={(e) => e.preventDefault()} onClick={() => setRetry((n) => n + 1)}>{t('common.retry')}</button>
            </div>
          )}
          {state.kind === 'done' && results.length === 0 && <div className="search-message">{t('search.none')}</div>}
          {state.kind === 'loading' && results.length === 0 && <div className="search-message">{t('common.loading')}</div>}
          {results.map((r, k) => (
            <div
              key={`${r.layer}:${r.id}`}
              role="option"
              aria-selected={k === active}
              className={`search-result${k === active ? ' active' : ''}`}
              data-testid="search-result"
              data-layer={r.layer}
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => setActive(k)}
              onClick={() => choose(r)}
            >
              <span className={`result-kind kind-${r.layer}`}>{tr(`kind.${r.layer}`, r.layer)}</span>
              <span className="result-text">
                <span className="result-label">{r.label}</span>
                {r.parts.length > 0 && <span className="result-sub">{searchLine(r.parts, i)}</span>}
              </span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
