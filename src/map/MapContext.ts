import { createContext, useContext } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { DeckController } from './deck/DeckController.ts';

export interface MapHandle {
  map: MapLibreMap | null;
  /** deck.gl's controller once loaded (lazily, with the first deck layer). */
  deck: DeckController | null;
}

export const MapContext = createContext<MapHandle>({ map: null, deck: null });

export const useMapHandle = (): MapHandle => useContext(MapContext);
