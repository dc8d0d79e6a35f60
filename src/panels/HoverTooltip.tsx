// A light tooltip next to the pointer: what the feature is, in one or two lines.
import { useI18n } from '../i18n/index.tsx';
import type { HoverHit } from '../map/MapView.tsx';
import type { AlarmStation } from '../layers/deck/alarms.ts';
import type { FovSector } from '../layers/deck/fov.ts';
import type { VehicleHead } from '../layers/deck/vehicles.ts';
import type { PersonnelDot } from '../layers/deck/personnel.ts';
import { featureTitle } from '../map/identify.ts';
import { formatValue } from './format.ts';

export function HoverTooltip({ hit }: { hit: HoverHit }) {
  const i = useI18n();
  const { t, tr, num } = i;
  let layer: string;
  let title: string;
  let sub: string | null = null;
  if (hit.kind === 'feature') {
    layer = tr(`layer.${hit.layer}`, hit.layer);
    title = featureTitle(hit.layer, hit.properties, i);
  } else {
    const o = hit.pick.object;
    switch (hit.pick.kind) {
      case 'vehicle': {
        const h = o as VehicleHead;
        layer = t('layer.vehicles');
        title = `${h.track.plate} · ${tr(`vehicle.${h.track.kind}`, h.track.kind)}`;
        sub = `${formatValue('status', h.track.status, i)} · ${num(h.speed, 1)} km/h`;
        break;
      }
      case 'alarm': {
        const s = o as AlarmStation;
        layer = t('layer.alarms');
        title = `${s.name ?? s.code ?? s.id}`;
        sub = `${formatValue('status', s.status, i)} · ${tr(`value.kind.${s.kind}`, s.kind ?? '')}`;
        break;
      }
      case 'fov': {
        const c = (o as FovSector).camera;
        layer = t('layer.fov');
        title = `${c.name ?? c.code ?? c.id}`;
        sub = `${num(c.azimuth)}° · ${num(c.hfov)}° · ${num(c.range_m)} m`;
        break;
      }
      case 'personnel': {
        const d = o as PersonnelDot;
        layer = t('layer.personnel');
        title = `${d.label} · ${tr(d.what === 'staff' ? `staff.${d.kind}` : `device.${d.kind}`, d.kind)}`;
        sub = tr(`personnel.status.${d.status}`, d.status);
        break;
      }
      case 'density': {
        const cell = o as { colorValue?: number; count?: number };
        layer = t('layer.density');
        title = t('tooltip.cases', { n: num(Math.round(cell.colorValue ?? 0)) });
        break;
      }
    }
  }
  // Beside the pointer, flipped to its left or above it near the window's edges.
  const flipX = hit.x > window.innerWidth - 300;
  const flipY = hit.y > window.innerHeight - 120;
  const style = {
    left: flipX ? undefined : hit.x + 14,
    right: flipX ? window.innerWidth - hit.x + 14 : undefined,
    top: flipY ? undefined : hit.y + 14,
    bottom: flipY ? window.innerHeight - hit.y + 14 : undefined,
  };
  return (
    <div className="hover-tooltip" style={style} role="tooltip" data-testid="hover-tooltip">
      <div className="tt-layer">{layer}</div>
      <div className="tt-title">{title || '—'}</div>
      {sub && <div className="tt-sub">{sub}</div>}
    </div>
  );
}
