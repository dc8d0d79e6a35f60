// What a trace reached, as a planner reads it: how much network, where it ends (outfalls, pumping
// stations, plants), which grids and communities it crosses, the sensors and cameras along it, and the
// hazards and misconnections on it. Every named thing can be clicked to fly there and open it.
import { useState } from 'react';
import type { Geometry } from 'geojson';
import type { TraceResult } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useMapHandle } from '../../map/MapContext.ts';
import { Fact, Facts, Section } from '../details/parts.tsx';
import { formatValue } from '../format.ts';
import { flyToBbox } from '../analysis/flyTo.ts';
import { useAreas } from '../analysis/useAreas.ts';
import type { TraceRequest } from './traceRequest.ts';

type OnSelect = (layer: string, id: string | number, geometry?: Geometry | null) => void;

const FIRST_CAMERAS = 12;
const DISCHARGE_KINDS = new Set(['outfall', 'pumping_station', 'wwtp']);

export function TraceResultView({ result, request, onSelect }: { result: TraceResult; request: TraceRequest; onSelect: OnSelect }) {
  const i = useI18n();
  const { t, num } = i;
  const { map } = useMapHandle();
  const { areas } = useAreas();
  const [allCameras, setAllCameras] = useState(false);
  const kind = (k: string) => formatValue('kind', k, i);
  const cameras = allCameras ? result.cameras.items : result.cameras.items.slice(0, FIRST_CAMERAS);
  const byKind = Object.entries(result.misconnections.by_kind ?? {}).filter(([, n]) => n);
  const flyToCommunity = (code: string) => {
    const a = areas?.communities.find((c) => c.code === code);
    if (map && a) flyToBbox(map, a.bbox, 16);
  };

  return (
    <div className="trace-result" data-testid="trace-result">
      {request.purpose === 'outfall' && <DischargeHeadline result={result} onSelect={onSelect} />}
      <Facts>
        <Fact label={t('trace.reaches')} testId="trace-pipes">{num(result.pipes.count)}</Fact>
        <Fact label={t('trace.length')} testId="trace-length">{num(result.pipes.length_m / 1000, 2)} km</Fact>
        <Fact label={t('layer.manholes')} testId="trace-manholes">{num(result.manholes.count)}</Fact>
        <Fact label={t('layer.hazards')} testId="trace-hazards">{t('trace.hazardsOpen', { n: num(result.hazards.count), open: num(result.hazards.open) })}</Fact>
        <Fact label={t('layer.misconnections')} testId="trace-misconnections">{num(result.misconnections.count)}</Fact>
        <Fact label={t('trace.grids')}>{num(result.grids.length)}</Fact>
      </Facts>
      {byKind.length > 0 && (
        <p className="muted trace-kinds" data-testid="trace-misconnection-kinds">
          {byKind.map(([k, n]) => `${kind(k)} ${num(n ?? 0)}`).join(' · ')}
        </p>
      )}

      <Section title={`${t('trace.facilities')} (${result.facilities.length})`} testId="trace-facilities">
        {result.facilities.length === 0 ? <p className="muted">{t('trace.noFacilities')}</p> : (
          <ul className="ref-list">
            {result.facilities.map((f) => (
              <li key={f.id} data-testid="trace-facility" data-kind={f.kind}>
                <span className={`result-kind kind-facilities${DISCHARGE_KINDS.has(f.kind) ? ' strong' : ''}`}>{kind(f.kind)}</span>{' '}
                <button type="button" className="link-button" onClick={() => onSelect('facilities', f.id)}>{f.name || f.code}</button>
              </li>
            ))}
          </ul>
        )}
      </Section>

      {result.ends.length > 0 && (
        <Section title={`${t('trace.ends')} (${result.ends.length})`} testId="trace-ends">
          <ul className="ref-list">
            {result.ends.map((e) => (
              <li key={e.id} data-testid="trace-end" data-kind={e.kind}>
                <button type="button" className="link-button" onClick={() => onSelect('manholes', e.id)}>{e.code}</button>
                <span className="muted"> · {kind(e.kind)}</span>
              </li>
            ))}
          </ul>
        </Section>
      )}

      <Section title={`${t('kind.communities')} (${result.communities.length})`} testId="trace-communities">
        {result.communities.length === 0 ? <p className="muted">—</p> : (
          <ul className="chip-list">
            {result.communities.map((c) => (
              <li key={c.code}>
                <button type="button" className="chip" onClick={() => flyToCommunity(c.code)} title={c.street}>{c.name}</button>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <details className="details-section collapsible" data-testid="trace-grids">
        <summary>{t('trace.gridsCrossed')} ({result.grids.length})</summary>
        <ul className="chip-list">
          {result.grids.map((g) => (
            <li key={g}><button type="button" className="chip mono" onClick={() => onSelect('grids', g)}>{g}</button></li>
          ))}
        </ul>
      </details>

      <Section title={`${t('layer.sensors')} (${result.sensors.count})`} testId="trace-sensors">
        {result.sensors.items.length === 0 ? <p className="muted">—</p> : (
          <ul className="ref-list">
            {result.sensors.items.map((s) => (
              <li key={s.id} data-testid="trace-sensor">
                <button type="button" className="link-button" onClick={() => onSelect('sensors', s.id)}>{s.name || s.code}</button>
                <span className={`muted status-${s.status}`}> · {kind(s.kind)} · {formatValue('status', s.status, i)}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title={`${t('layer.cameras')} (${result.cameras.count})`} testId="trace-cameras">
        {result.cameras.items.length === 0 ? <p className="muted">—</p> : (
          <>
            <ul className="ref-list">
              {cameras.map((c) => (
                <li key={c.id} data-testid="trace-camera">
                  <button type="button" className="link-button" onClick={() => onSelect('cameras', c.id)}>{c.name || c.code}</button>
                  <span className="muted"> · {formatValue('status', c.status, i)} · {num(c.distance_m, 0)} m</span>
                </li>
              ))}
            </ul>
            {result.cameras.items.length > FIRST_CAMERAS && (
              <button type="button" className="link-button" onClick={() => setAllCameras(!allCameras)} data-testid="trace-cameras-more">
                {allCameras ? t('trace.fewer') : t('trace.showAll', { n: num(result.cameras.items.length) })}
              </button>
            )}
            {result.cameras.count > result.cameras.items.length && (
              <p className="muted">{t('trace.listedOf', { shown: num(result.cameras.items.length), total: num(result.cameras.count) })}</p>
            )}
          </>
        )}
      </Section>
    </div>
  );
}

/** For a misconnection: the outfalls (or pumping stations, plants) its sewage reaches. */
function DischargeHeadline({ result, onSelect }: { result: TraceResult; onSelect: OnSelect }) {
  const i = useI18n();
  const { t } = i;
  const facilities = result.facilities.filter((f) => DISCHARGE_KINDS.has(f.kind));
  const ends = result.ends.filter((e) => e.kind === 'outfall');
  return (
    <div className={`discharge${facilities.length || ends.length ? '' : ' none'}`} data-testid="trace-discharge">
      <span className="discharge-label">{t('trace.dischargesTo')}</span>
      {facilities.length === 0 && ends.length === 0 && <strong>{t('trace.noOutfall')}</strong>}
      {facilities.map((f) => (
        <button key={`f${f.id}`} type="button" className="link-button discharge-target" data-testid="discharge-target" onClick={() => onSelect('facilities', f.id)}>
          {formatValue('kind', f.kind, i)} {f.name || f.code}
        </button>
      ))}
      {facilities.length === 0 && ends.map((e) => (
        <button key={`e${e.id}`} type="button" className="link-button discharge-target" data-testid="discharge-target" onClick={() => onSelect('manholes', e.id)}>
          {formatValue('kind', e.kind, i)} {e.code}
        </button>
      ))}
    </div>
  );
}
