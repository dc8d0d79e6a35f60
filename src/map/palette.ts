/**
 * Every colour the map uses, in one place so that the basemap, the layers and the legend agree.
 * The basemap is kept quiet (blue-grey land, navy ink) so that thematic layers carry the colour.
 */
export const basemapColors = {
  land: '#e9edf2',
  districtFill: '#f4f6f9',
  water: '#a8c8e6',
  waterOutline: '#7fa9d1',
  waterLabel: '#2f6a9f',
  districtLine: '#1f3a5f',
  streetLine: '#6b7f99',
  communityLine: '#a3b1c2',
  roadCasing: '#bcc5d1',
  roadTrunk: '#fbe3b4',
  roadPrimary: '#ffffff',
  roadSecondary: '#ffffff',
  roadResidential: '#ffffff',
  label: '#1f2f46',
  labelMuted: '#5a6b82',
  halo: 'rgba(255,255,255,0.92)',
} as const;

/** 雨 / 污 / 合: blue, brown-orange, purple — the convention on Chinese drainage drawings. */
export const pipeColors = {
  rain: '#1f78d1',
  sewage: '#c0642a',
  combined: '#8e44ad',
  unknown: '#7f8c8d',
} as const;

/** CJJ 181 grades 1 (minor) … 4 (severe). */
export const gradeColors = ['#f1c40f', '#f39c12', '#e8590c', '#c0392b'] as const;

export const layerColors = {
  // Grey-violet, so grid boundaries never read as rain pipes (blue) or roads (white/grey).
  grids: '#8a7fa8',
  gridLabel: '#5b4f7a',
  facilities: '#0f8b8d',
  misconnection: '#d6336c',
  hazard: '#e8590c',
  manhole: '#44546a',
  outfall: '#0b7285',
  junction: '#868e96',
  sensor: '#2b8a3e',
  sensorWarning: '#f59f00',
  sensorAlarm: '#e03131',
  offline: '#9aa5b1',
  camera: '#1c7ed6',
  cameraDamaged: '#c92a2a',
  caseOpen: '#e8590c',
  caseClosed: '#40916c',
  cluster: '#334e68',
  clusterText: '#ffffff',
} as const;
