// Where deck.gl layers sit among the MapLibre style layers (interleaved `beforeId`): density under the
// pipes, camera sectors under the camera points, moving and alarming things above all points but under
// the labels.
export const DENSITY_BEFORE = 'pipes-line';
export const FOV_BEFORE = 'cameras-cluster';
export const TOP_BEFORE = 'basemap-road-labels';

/** `beforeId` is read by @deck.gl/mapbox but is not in the layers' prop types: spread this into the props. */
export const before = (id: string): object => ({ beforeId: id });
