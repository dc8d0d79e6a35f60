// The longitudinal profile drawn as SVG from chartGeometry.ts: ground, pipe bands (倒坡 in red), manholes
// as verticals, water surface, defect and hazard markers. Colours are attributes so the SVG exports whole.
// Hovering a reach's column or a manhole reports the reach; `highlight` marks one (from the map).
import type { Ref } from 'react';
import type { Profile } from '../../../common/api/network.ts';
import { buildProfileChart } from './chartGeometry.ts';

export const PROFILE_COLOURS = {
  ground: '#8d6e3f', band: '#4c8dd6', bandReversed: '#e03131', invert: '#1c4f8f', manhole: '#555', water: '#1fa2d6',
  defect: '#f08c00', hazard: '#c92a2a', highlight: '#fab005', axis: '#888', text: '#333',
} as const;

interface Props {
  profile: Profile;
  width: number;
  height: number;
  highlight: number | null;
  onHoverReach(id: number | null): void;
  labels: { chainage: string; level: string; title: string };
  svgRef?: Ref<SVGSVGElement>;
}

export function ProfileChart({ profile, width, height, highlight, onHoverReach, labels, svgRef }: Props) {
  const g = buildProfileChart(profile, { width, height });
  const c = PROFILE_COLOURS;
  const { plot } = g;
  const bottom = plot.y + plot.h;
  return (
    <svg ref={svgRef} className="profile-chart" data-testid="profile-chart" viewBox={`0 0 ${width} ${height}`} width={width} height={height}
      role="img" aria-label={labels.title} fontFamily="'Noto Sans SC', 'Noto Sans CJK SC', sans-serif" fontSize="11"
      onMouseLeave={() => onHoverReach(null)}>
      <title>{labels.title}</title>
      <rect x={0} y={0} width={width} height={height} fill="#fff" />
      {g.yTicks.map((t) => (
        <g key={`y${t.value}`}>
          <line x1={plot.x} x2={plot.x + plot.w} y1={t.y} y2={t.y} stroke="#eee" />
          <text x={plot.x - 6} y={t.y + 4} textAnchor="end" fill={c.text}>{t.value.toFixed(1)}</text>
        </g>
      ))}
      {g.xTicks.map((t) => (
        <text key={`x${t.value}`} x={t.x} y={bottom + 14} textAnchor="middle" fill={c.text}>{Math.round(t.value)}</text>
      ))}
      <text x={plot.x + plot.w} y={height - 2} textAnchor="end" fill={c.axis}>{labels.chainage}</text>
      <text x={4} y={plot.y - 4} fill={c.axis}>{labels.level}</text>
      <line x1={plot.x} x2={plot.x + plot.w} y1={bottom} y2={bottom} stroke={c.axis} />
      <line x1={plot.x} x2={plot.x} y1={plot.y} y2={bottom} stroke={c.axis} />

      {g.reaches.map((r) => (
        <g key={r.id} data-testid="profile-reach" data-reach={r.id} data-reversed={String(r.reversed)}>
          {highlight === r.id && <rect x={r.x0} y={plot.y} width={Math.max(r.x1 - r.x0, 1)} height={plot.h} fill={c.highlight} opacity={0.25} data-testid="profile-highlight" />}
          {r.band && <path d={r.band} fill={r.reversed ? c.bandReversed : c.band} fillOpacity={0.55} stroke={r.reversed ? c.bandReversed : c.invert} strokeWidth={0.8} />}
          {r.invert && <path d={r.invert} stroke={r.reversed ? c.bandReversed : c.invert} strokeWidth={1.5} fill="none" />}
        </g>
      ))}
      {g.ground && <path d={g.ground} stroke={c.ground} strokeWidth={2} fill="none" data-testid="profile-ground" />}
      {g.stations.map((s) => (s.top !== null || s.bottom !== null) && (
        <line key={s.id} x1={s.x} x2={s.x} y1={s.top ?? plot.y} y2={s.bottom ?? bottom} stroke={c.manhole} strokeWidth={s.kind === 'outfall' ? 3 : 1.5}
          data-testid="profile-station" data-manhole={s.id} />
      ))}
      {g.water && <path d={g.water} stroke={c.water} strokeWidth={2.5} strokeDasharray="6 3" fill="none" data-testid="profile-water" />}
      {g.marks.map((k) => (
        <path key={`${k.kind}${k.id}`} data-testid={`profile-${k.kind}`}
          d={k.kind === 'hazard' ? `M${k.x},${k.y - 7}L${k.x + 6},${k.y + 4}L${k.x - 6},${k.y + 4}Z` : `M${k.x},${k.y - 5}L${k.x + 5},${k.y}L${k.x},${k.y + 5}L${k.x - 5},${k.y}Z`}
          fill={k.kind === 'hazard' ? c.hazard : c.defect} stroke="#fff" strokeWidth={0.8}>
          <title>{`${k.code} ${k.grade}`}</title>
        </path>
      ))}
      {g.stations.length <= 40 && g.stations.map((s) => (
        <text key={`l${s.id}`} x={s.x} y={plot.y + 10} textAnchor="middle" fill={c.text} fontSize="10">{s.code}</text>
      ))}
      {/* Hover targets last, on top: a reach's column, and each manhole (the reach leaving it). */}
      {g.reaches.map((r) => (
        <rect key={`h${r.id}`} x={r.x0} y={plot.y} width={Math.max(r.x1 - r.x0, 2)} height={plot.h} fill="transparent"
          onMouseEnter={() => onHoverReach(r.id)} data-testid="profile-hover-target" />
      ))}
    </svg>
  );
}
