// The address of the pin from the map's own data (no outside geocoder): the street and community of the
// unit grid there (GET /api/grids/at) and the nearest named road (GET /api/query/nearest, layer roads),
// e.g. "中华路街道 彭刘杨路社区 · 彭刘杨路附近". Offline, or outside the district, it stays empty and the
// citizen may type one.
import { useEffect, useState } from 'react';
import type { GridAt, Nearest } from '../../common/api/query.ts';
import { useI18n } from '../i18n/index.tsx';
import type { Pin } from './PinMap.tsx';

/** A road further than this is not "near". */
const ROAD_NEAR_M = 150;

async function getJson<T>(url: string, signal: AbortSignal): Promise<T | null> {
  const res = await fetch(url, { signal, headers: { accept: 'application/json' } }).catch(() => null);
  return res?.ok ? (await res.json()) as T : null;
}

export function useAddress(pin: Pin | null): { address: string | null; looking: boolean } {
  const { t } = useI18n();
  const [state, setState] = useState<{ key: string; address: string | null } | null>(null);
  const key = pin ? `${pin.lon.toFixed(6)},${pin.lat.toFixed(6)}` : '';

  useEffect(() => {
    if (!pin) return;
    const ac = new AbortController();
    const q = `lon=${pin.lon}&lat=${pin.lat}`;
    void Promise.all([
      getJson<GridAt>(`/api/grids/at?${q}`, ac.signal),
      getJson<Nearest>(`/api/query/nearest?${q}&layers=roads&k=3`, ac.signal),
    ]).then(([at, near]) => {
      const road = near?.results.roads?.find((r) => r.name && r.distance_m <= ROAD_NEAR_M)?.name;
      const parts = [at ? `${at.street.name} ${at.community.name}` : null, road ? t('citizen.near', { road }) : null].filter(Boolean);
      setState({ key, address: parts.length ? parts.join(' · ') : null });
    }).catch(() => setState({ key, address: null }));
    return () => ac.abort();
  }, [key, t]);

  if (!pin) return { address: null, looking: false };
  return state?.key === key ? { address: state.address, looking: false } : { address: null, looking: true };
}
