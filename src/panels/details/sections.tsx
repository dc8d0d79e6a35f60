// One section per layer of the details answer (see api/types.ts for the related shapes).
import type { ReactNode } from 'react';
import type { Geometry } from 'geojson';
import type {
  CameraRelated, CaseRelated, Details, GridRelated, ManholeRelated, PipeRef, PipeRelated, RelatedRef, SensorRelated,
} from '../../api/types.ts';
import { useI18n } from '../../i18n/index.tsx';
import { StreamHistory } from './StreamHistory.tsx';
import { OnlineHistory } from '../charts/OnlineHistory.tsx';
import { defectLabel, formatHours, formatValue, gradeLabel, remediationStatus } from '../format.ts';
import { StationAlarms } from '../alarms/StationAlarms.tsx';
import { TraceButtons } from '../trace/TraceButtons.tsx';
import { ProfileButtons } from '../profile/ProfileButtons.tsx';
import type { TraceRequest } from '../trace/traceRequest.ts';
import { Fact, Facts, GradeBadge, RefLink, Section } from './parts.tsx';
import { PipeCondition } from './PipeCondition.tsx';
import { RemediationSection } from './Remediation.tsx';
import { StreamPlayer } from './StreamPlayer.tsx';
import { FacilitySection, type FacilityRelated } from './FacilityState.tsx';

type OnSelect = (layer: string, id: string | number, geometry?: Geometry | null) => void;
type OnTrace = (r: TraceRequest) => void;

export function LayerSection({ details, title, onSelect, onTrace }: { details: Details; title: string; onSelect: OnSelect; onTrace: OnTrace }) {
  const origin = { layer: details.layer, id: String(details.id), label: title || `#${details.id}` };
  const trace = (from: `${'pipe' | 'manhole'}:${number}`, purpose?: TraceRequest['purpose']) =>
    <TraceButtons from={from} origin={origin} geometry={details.geometry} purpose={purpose} onTrace={onTrace} />;
  switch (details.layer) {
    case 'pipes': return <PipeSection d={details as Details<PipeRelated>} onSelect={onSelect} trace={trace(`pipe:${Number(details.id)}`)} />;
    case 'manholes': return <ManholeSection d={details as Details<ManholeRelated>} onSelect={onSelect} trace={trace(`manhole:${Number(details.id)}`)} />;
    case 'cameras': return <CameraSection d={details as Details<CameraRelated>} />;
    case 'cases': return <CaseSection d={details as Details<CaseRelated>} />;
    case 'sensors': return <SensorSection d={details as Details<SensorRelated>} />;
    case 'hazards': return <OnPipeSection d={details as Details<PipeRef>} onSelect={onSelect} />;
    case 'misconnections': {
      const d = details as Details<PipeRef>;
      const pipe = Number(d.related?.pipe?.id ?? d.properties.pipe_id);
      return <OnPipeSection d={d} onSelect={onSelect} trace={pipe > 0 ? trace(`pipe:${pipe}`, 'outfall') : undefined} />;
    }
    case 'grids': return <GridSection d={details as Details<GridRelated>} />;
    case 'facilities': return <FacilitySection d={details as Details<FacilityRelated>} />;
    default: return <GenericFacts d={details} fields={['code', 'name', 'kind', 'status']} />;
  }
}

function GenericFacts({ d, fields }: { d: Pick<Details, 'properties'>; fields: string[] }) {
  const i = useI18n();
  const present = fields.filter((f) => d.properties[f] !== undefined && d.properties[f] !== null);
  return (
    <Facts>
      {present.map((f) => <Fact key={f} label={i.tr(`field.${f}`, f)}>{formatValue(f, d.properties[f], i)}</Fact>)}
    </Facts>
  );
}

const refLabel = (r: RelatedRef) => String(r.code ?? r.name ?? `#${r.id}`);

function PipeSection({ d, onSelect, trace }: { d: Details<PipeRelated>; onSelect: OnSelect; trace: ReactNode }) {
  const i = useI18n();
  const { t, num } = i;
  const p = d.properties;
  const r = d.related ?? {};
  const inspections = r.inspections ?? [];
  return (
    <>
      <Facts>
        <Fact label={t('field.usage')}>{formatValue('usage', p.usage, i)}</Fact>
        <Fact label={t('field.network')}>{formatValue('network', p.network, i)}</Fact>
        <Fact label={t('field.diameter_mm')} testId="fact-diameter">{p.diameter_mm ? `DN${p.diameter_mm}` : '—'}</Fact>
        <Fact label={t('field.material')}>{formatValue('material', p.material, i)}</Fact>
        <Fact label={t('field.length_m')} testId="fact-length">{typeof p.length_m === 'number' ? `${num(p.length_m, 1)} m` : '—'}</Fact>
        <Fact label={t('field.slope')}>{typeof p.slope === 'number' ? `${num(p.slope * 1000, 2)}‰` : '—'}</Fact>
        <Fact label={t('field.sgrade')} testId="fact-sgrade"><GradeBadge grade={p.sgrade} /></Fact>
        <Fact label={t('field.fgrade')} testId="fact-fgrade"><GradeBadge grade={p.fgrade} /></Fact>
        <Fact label={t('details.flow')}>
          {r.from_manhole ? <RefLink layer="manholes" id={r.from_manhole.id} label={refLabel(r.from_manhole)} onSelect={onSelect} /> : '—'}
          {' → '}
          {r.to_manhole ? <RefLink layer="manholes" id={r.to_manhole.id} label={refLabel(r.to_manhole)} onSelect={onSelect} /> : '—'}
        </Fact>
      </Facts>
      {trace}
      {r.condition && <PipeCondition c={r.condition} />}
      <Section title={`${t('details.inspections')} (${inspections.length})`} testId="pipe-inspections">
        {inspections.length === 0 && <p className="muted">{t('details.noInspections')}</p>}
        {inspections.map((ins, k) => (
          <div key={ins.id ?? k} className="inspection">
            <div className="inspection-head">
              <strong>{String(ins.inspected_on ?? ins.date ?? ins.inspected_at ?? '—').slice(0, 10)}</strong>
              {ins.method && <span className="muted"> · {i.tr(`value.method.${ins.method}`, String(ins.method))}</span>}
              {ins.sgrade !== undefined && <> · S <GradeBadge grade={ins.sgrade} /></>}
              {ins.fgrade !== undefined && <> · F <GradeBadge grade={ins.fgrade} /></>}
            </div>
            {(ins.defects ?? []).length > 0 ? (
              <table className="mini-table" data-testid="defects-table">
                <thead>
                  <tr><th>{t('field.code')}</th><th>{t('field.name')}</th><th>{t('field.grade')}</th><th>{t('details.position')}</th></tr>
                </thead>
                <tbody>
                  {(ins.defects ?? []).map((df, j) => (
                    <tr key={j} className={df.repaired ? 'repaired' : undefined} data-repaired={df.repaired ? 'true' : undefined}
                      title={df.repaired ? t('details.repairedHint') : undefined}>
                      <td>{df.code}</td>
                      <td>{(i.lang === 'zh' ? df.name_zh : df.name_en) ?? df.name ?? i.tr(`defect.${df.code}`, '')}</td>
                      <td>{gradeLabel(df.grade, i)}{df.repaired && <span className="repaired-tag"> · {t('fmt.repaired')}</span>}</td>
                      <td>{typeof (df.position_m ?? df.distance_m) === 'number' ? `${num(Number(df.position_m ?? df.distance_m), 1)} m` : '—'}{typeof df.length_m === 'number' && df.length_m > 0 ? ` (+${num(df.length_m, 1)} m)` : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : <p className="muted">{t('details.noDefects')}</p>}
          </div>
        ))}
      </Section>
      {(r.hazards ?? []).length > 0 && (
        <Section title={`${t('layer.hazards')} (${r.hazards!.length})`}>
          <ul className="ref-list">
            {r.hazards!.map((h) => (
              <li key={h.id}>
                <RefLink layer="hazards" id={h.id} label={`${h.code ? defectLabel(String(h.code), h.grade, i) : '#' + h.id} · ${remediationStatus(h.status, i)}`} onSelect={onSelect} />
              </li>
            ))}
          </ul>
        </Section>
      )}
    </>
  );
}

function ManholeSection({ d, onSelect, trace }: { d: Details<ManholeRelated>; onSelect: OnSelect; trace: ReactNode }) {
  const i = useI18n();
  const { t } = i;
  const r = d.related ?? {};
  const list = (pipes: RelatedRef[] | undefined, testId: string, title: string) => (
    <Section title={`${title} (${pipes?.length ?? 0})`} testId={testId}>
      {(pipes ?? []).length === 0 ? <p className="muted">—</p> : (
        <ul className="ref-list">
          {pipes!.map((p) => (
            <li key={p.id}>
              <RefLink layer="pipes" id={p.id} label={refLabel(p)} onSelect={onSelect} />
              <span className="muted">
                {[p.usage && formatValue('usage', p.usage, i), p.diameter_mm && `DN${p.diameter_mm}`].filter(Boolean).map((s) => ` · ${s}`).join('')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
  return (
    <>
      <GenericFacts d={d} fields={['code', 'kind', 'usage', 'network', 'depth_m', 'ground_elev_m', 'invert_elev_m']} />
      {trace}
      <ProfileButtons id={Number(d.id)} code={String(d.properties.code ?? `#${d.id}`)} />
      {list(r.pipes_in, 'pipes-in', t('details.pipesIn'))}
      {list(r.pipes_out, 'pipes-out', t('details.pipesOut'))}
    </>
  );
}

function CameraSection({ d }: { d: Details<CameraRelated> }) {
  const { t } = useI18n();
  const r = d.related ?? {};
  return (
    <>
      <GenericFacts d={d} fields={['code', 'kind', 'status', 'azimuth', 'azimuth_deg', 'hfov', 'hfov_deg', 'range_m', 'height_m', 'status_since', 'owner', 'grid_code']} />
      <Section title={t('details.onlineHistory')} testId="camera-history">
        <OnlineHistory days={r.status_days ?? []} />
      </Section>
      {r.stream_url && <StreamPlayer url={r.stream_url} />}
    </>
  );
}

function CaseSection({ d }: { d: Details<CaseRelated> }) {
  const i = useI18n();
  const { t, tr, date } = i;
  const r = d.related ?? {};
  const item = r.item;
  const transitions = [...(r.transitions ?? [])].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <>
      <Facts>
        <Fact label={t('field.case_no')}>{String(d.properties.case_no ?? '—')}</Fact>
        <Fact label={t('field.status')}>{formatValue('status', d.properties.status, i)}</Fact>
        <Fact label={t('field.class')}>{formatValue('class', d.properties.class ?? d.properties.class_code, i)}</Fact>
        <Fact label={t('details.caseItem')}>{item ? (i.lang === 'zh' ? item.name_zh : item.name_en) ?? item.name_zh ?? '—' : '—'}</Fact>
        <Fact label={t('details.deadline')} testId="case-deadline">{item?.deadline_hours ? formatHours(item.deadline_hours, i) : '—'}</Fact>
        <Fact label={t('field.reported_at')}>{d.properties.reported_at ? date(String(d.properties.reported_at)) : '—'}</Fact>
      </Facts>
      <Section title={t('details.timeline')} testId="case-timeline">
        {transitions.length === 0 && <p className="muted">—</p>}
        <ol className="timeline">
          {transitions.map((tr2, k) => (
            <li key={k} className={`timeline-step status-${tr2.to_status}`}>
              <span className="timeline-dot" />
              <div>
                <div><strong>{tr(`value.status.${tr2.to_status}`, tr2.to_status)}</strong> <span className="muted">{date(tr2.at)}</span></div>
                {(tr2.actor || tr2.note) && <div className="muted">{[tr2.actor, tr2.note].filter(Boolean).join(' · ')}</div>}
              </div>
            </li>
          ))}
        </ol>
      </Section>
    </>
  );
}

function SensorSection({ d }: { d: Details<SensorRelated> }) {
  const i = useI18n();
  const { t, tr, num } = i;
  const streams = d.related?.datastreams ?? [];
  return (
    <>
      <GenericFacts d={d} fields={['code', 'kind', 'status']} />
      {Number.isInteger(Number(d.id)) && <StationAlarms stationId={Number(d.id)} />}
      {streams.length === 0 && <p className="muted">{t('chart.noObservations')}</p>}
      {streams.map((s, k) => {
        const q = tr(`quantity.${s.quantity}`, s.quantity);
        const state = s.last_value === null ? 'none'
          : s.alarm_level !== null && (s.direction === 'below' ? s.last_value <= s.alarm_level : s.last_value >= s.alarm_level) ? 'alarm'
          : s.warn_level !== null && (s.direction === 'below' ? s.last_value <= s.warn_level : s.last_value >= s.warn_level) ? 'warning' : 'normal';
        return (
          <Section key={s.id ?? k} title={q} testId="datastream">
            <p className="datastream-now">
              <span className={`value-now state-${state}`}>{s.last_value === null ? '—' : `${num(s.last_value, 2)} ${s.unit}`}</span>
              {s.warn_level !== null && <span className="muted"> · {t('details.warn')} {num(s.warn_level, 2)}</span>}
              {s.alarm_level !== null && <span className="muted"> · {t('details.alarm')} {num(s.alarm_level, 2)}</span>}
            </p>
            <StreamHistory id={s.id ?? null} recent={s.observations ?? []} unit={s.unit} warn={s.warn_level} alarm={s.alarm_level} label={q} />
          </Section>
        );
      })}
    </>
  );
}

function OnPipeSection({ d, onSelect, trace }: { d: Details<PipeRef>; onSelect: OnSelect; trace?: ReactNode }) {
  const { t } = useI18n();
  const pipe = d.related?.pipe;
  return (
    <>
      <GenericFacts d={d} fields={['code', 'kind', 'grade', 'found_on', 'description']} />
      <Facts>
        <Fact label={t('details.onPipe')}>
          {pipe ? <RefLink layer="pipes" id={pipe.id} label={refLabel(pipe)} onSelect={onSelect} /> : '—'}
        </Fact>
      </Facts>
      <RemediationSection layer={d.layer as 'hazards' | 'misconnections'} id={Number(d.id)} status={d.properties.status} onSelect={onSelect} />
      {trace}
    </>
  );
}

function GridSection({ d }: { d: Details<GridRelated> }) {
  const i = useI18n();
  const { t, tr, num } = i;
  const r = d.related ?? {};
  const counts = Object.entries(r.counts ?? {});
  return (
    <>
      <Facts>
        <Fact label={t('field.code')}>{String(d.properties.code ?? d.id)}</Fact>
        <Fact label={t('kind.streets')}>{r.street?.name ?? '—'}</Fact>
        <Fact label={t('kind.communities')}>{r.community?.name ?? '—'}</Fact>
        <Fact label={t('field.area_m2')}>{typeof d.properties.area_m2 === 'number' ? `${num(d.properties.area_m2 / 10_000, 2)} ha` : '—'}</Fact>
      </Facts>
      {counts.length > 0 && (
        <Section title={t('details.inGrid')} testId="grid-counts">
          <table className="mini-table">
            <tbody>
              {counts.map(([k, n]) => (
                <tr key={k}><td>{tr(`layer.${k}`, tr(`count.${k}`, k))}</td><td className="num">{num(n)}</td></tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}
    </>
  );
}
