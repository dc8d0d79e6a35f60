import type { LayerSpecification } from 'maplibre-gl';
import type { MessageKey } from '../i18n/index.tsx';
import type { SourceId } from '../map/sources.ts';

/**
 * One entry of the layer panel: a tile source drawn by one or more MapLibre style layers that are
 * shown and hidden together.
 */
export interface MapLayerGroup {
  /** Also the token in the URL's `layers=` parameter, so it must stay stable. */
  id: SourceId;
  labelKey: MessageKey;
  /** Panel swatch: one colour, or several with their legend keys. */
  swatch: string | ReadonlyArray<{ color: string; labelKey: MessageKey }>;
  defaultVisible: boolean;
  /** Geometry, drawn in group order. */
  layers: LayerSpecification[];
  /** Text and symbols, drawn above every group's geometry so labels are never buried. */
  labels?: LayerSpecification[];
}
