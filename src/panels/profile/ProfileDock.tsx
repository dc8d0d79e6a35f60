// The longitudinal profile under the map: the chart, its figures, its downloads (SVG, PNG, CSV), linked
// with the map both ways. Opened from a trace (downstream from its manhole) or from two picked manholes.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { useMapHandle } from '../../map/MapContext.ts';
import { Icon } from '../Icon.tsx';
import { ProfileChart } from './ProfileChart.tsx';
import { profileCsv, saveBlob, svgText, svgToPng } from './profileExport.ts';
import { useProfileMapLink } from './profileMapLink.ts';
import { profileActions, useProfileState, type ProfileRequest } from './profileStore.ts';
import { useProfile } from './useProfile.ts';

const CHART_HEIGHT = 240;

export function ProfileDock() {
  const { request } = useProfileState();
  if (!request) return null;
  return (
    <div className="bottom-dock profile-dock">
      <ProfilePanel key={`${request.from}>${request.to ?? ''}`} request={request} />
    </div>
  );
}

function ProfilePanel({ request }: { request: ProfileRequest }) {
  const { t, num } = useI18n();
  const { map } = useMapHandle();
  const load = useProfile(request);
  const [hover, setHover] = useState<number | null>(null);
  const [width, setWidth] = useState(900);
  const box = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const profile = load.state === 'ready' ? load.profile : null;
  const path = useMemo(() => profile?.reaches.map((r) => r.id) ?? null, [profile]);
  useProfileMapLink(map, path, hover, setHover);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(320, Math.floor(el.clientWidth))));
    ro.observe(el);
    return () => ro.disconnect();
  }, [profile]);

  const title = t('profile.title', { path: request.label });
  const name = `profile-${profile ? `${profile.from.code}-${profile.to.code}` : 'path'}`;
  const reversed = profile?.reaches.filter((r) => r.slope !== null && r.slope < 0).length ?? 0;
  const hovered = profile?.reaches.find((r) => r.id === hover);
  const csvHeaders = ['manhole', 'chainage_m', 'ground_m', 'invert_m', 'crown_m', 'depth_m', 'water_m', 'pipe', 'diameter_mm', 'up_invert_m', 'down_invert_m', 'slope_permille', 'defects']
    .map((h) => t(`profile.csv.${h}` as 'profile.csv.manhole'));

  return (
    <section className="panel profile-panel" data-testid="profile-panel" data-state={load.state} aria-label={title}>
      <header className="panel-header">
        <h2><Icon name="downstream" /> {title}</h2>
        <div className="header-actions">
          {profile && (
            <>
              <button type="button" className="button small" data-testid="profile-export-svg"
                onClick={() => svg.current && saveBlob(new Blob([svgText(svg.current)], { type: 'image/svg+xml' }), `${name}.svg`)}>SVG</button>
              <button type="button" className="button small" data-testid="profile-export-png"
                onClick={() => svg.current && void svgToPng(svg.current).then((b) => saveBlob(b, `${name}.png`))}>PNG</button>
              <button type="button" className="button small" data-testid="profile-export-csv"
                onClick={() => saveBlob(new Blob(['\ufeff', profileCsv(profile, csvHeaders)], { type: 'text/csv' }), `${name}.csv`)}>CSV</button>
            </>
          )}
          <button type="button" className="button small" onClick={profileActions.close} data-testid="profile-close">{t('common.close')}</button>
        </div>
      </header>
      <div className="panel-body profile-body" ref={box}>
        {load.state === 'loading' && <p className="muted"><span className="spinner" /> {t('common.loading')}</p>}
        {load.state === 'error' && (
          <p className="details-error" role="alert" data-testid="profile-error">
            <Icon name="warning" /> {load.status === 422 ? t('profile.noPath') : load.status === 404 ? t('profile.notFound') : t('profile.failed')}{' '}
            <span className="muted">{load.message}</span>
          </p>
        )}
        {profile && (
          <>
            <p className="muted profile-facts" data-testid="profile-facts">
              {t('profile.facts', { reaches: num(profile.reaches.length), length: num(profile.length_m, 0), manholes: num(profile.stations.length) })}
              {reversed > 0 && <strong className="profile-reversed"> · {t('profile.reversed', { n: num(reversed) })}</strong>}
              {profile.splits > 0 && <> · {t('profile.splits', { n: num(profile.splits) })}</>}
              {hovered && <span data-testid="profile-hovered"> · {hovered.code} DN{hovered.diameter_mm ?? '?'} {hovered.slope === null ? '' : `i=${num(hovered.slope * 1000, 2)}‰`}</span>}
            </p>
            <ProfileChart profile={profile} width={width} height={CHART_HEIGHT} highlight={hover} onHoverReach={setHover} svgRef={svg}
              labels={{ chainage: t('profile.chainage'), level: t('profile.level'), title }} />
            <p className="profile-legend muted">
              <span className="swatch ground" /> {t('profile.ground')} <span className="swatch band" /> {t('profile.pipe')}
              <span className="swatch reversed" /> {t('check.reverse_slope')} <span className="swatch water" /> {t('profile.water')}
              <span className="swatch defect" /> {t('profile.defect')} <span className="swatch hazard" /> {t('profile.hazard')}
            </p>
          </>
        )}
      </div>
    </section>
  );
}
