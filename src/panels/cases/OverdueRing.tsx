// Puts the overdue ring (overdueLayer.ts) on whichever map is in the context; draws nothing itself.
import { useEffect } from 'react';
import { useMapHandle } from '../../map/MapContext.ts';
import { installOverdueRing } from './overdueLayer.ts';

export function OverdueRing() {
  const { map } = useMapHandle();
  useEffect(() => (map ? installOverdueRing(map) : undefined), [map]);
  return null;
}
