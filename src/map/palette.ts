/**
 * Every colour the map uses, in one place so that the basemap, the layers, the legend and the printed
 * legend agree. Two themes: the basemap and the ink around symbols change; thematic colours (pipe usage,
 * grades, statuses) stay the same so a legend learnt in one theme reads in the other.
 */
export type Theme = 'light' | 'dark';

export interface BasemapColors {
  land: string;
  districtFill: string;
  water: string;
  waterOutline: string;
  waterLabel: string;
  districtLine: string;
  streetLine: string;
  communityLine: string;
  roadCasing: string;
  roadTrunk: string;
  roadPrimary: string;
  roadSecondary: string;
  roadResidential: string;
  building: string;
  buildingOutline: string;
  label: string;
  labelMuted: string;
  halo: string;
  /** Ring around point symbols, so they separate from whatever is under them. */
  symbolStroke: string;
  gridLabel: string;
}

const light: BasemapColors = {
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
  building: '#d9dee6',
  buildingOutline: '#c2c9d4',
  label: '#1f2f46',
  labelMuted: '#5a6b82',
  halo: 'rgba(255,255,255,0.92)',
  symbolStroke: '#ffffff',
  gridLabel: '#5b4f7a',
};

/** Navy night: land and water close in value, roads as faint lines, labels light. */
const dark: BasemapColors = {
  land: '#0e1726',
  districtFill: '#142033',
  water: '#1d3b5c',
  waterOutline: '#2d5780',
  waterLabel: '#7fb3e6',
  districtLine: '#8fb3de',
  streetLine: '#5f7898',
  communityLine: '#3c4f68',
  roadCasing: '#0b1320',
  roadTrunk: '#4a4231',
  roadPrimary: '#34445b',
  roadSecondary: '#2c3a4e',
  roadResidential: '#243245',
  building: '#1f2c40',
  buildingOutline: '#2b3a52',
  label: '#dce6f2',
  labelMuted: '#94a6bd',
  halo: 'rgba(10,18,30,0.9)',
  symbolStroke: '#0e1726',
  gridLabel: '#c5bce0',
};

export const basemapPalettes: Record<Theme, BasemapColors> = { light, dark };

/** 雨 / 污 / 合: blue, brown-orange, purple — the convention on Chinese drainage drawings. */
export const pipeColors = {
  rain: '#1f78d1',
  sewage: '#c0642a',
  combined: '#8e44ad',
  unknown: '#7f8c8d',
} as const;

/** CJJ 181 grades Ⅰ (minor) … Ⅳ (severe). */
export const gradeColors = ['#f1c40f', '#f39c12', '#e8590c', '#c0392b'] as const;
/** Pipes in grade mode: inspected without defects of that kind, and not inspected at all. */
export const gradeNoneColor = '#2f9e44';
export const notInspectedColor = '#adb5bd';

export const layerColors = {
  // Grey-violet, so grid boundaries never read as rain pipes (blue) or roads (white/grey).
  grids: '#8a7fa8',
  facilities: '#0f8b8d',
  misconnection: '#d6336c',
  hazard: '#e8590c',
  /** The ring of a hazard or misconnection in repair (整改中): blue, apart from the grade and kind colours. */
  inRepair: '#1c7ed6',
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
  /** Halo of a count on a hollow cluster (over the case density), legible on any hexagon colour. */
  clusterTextHalo: '#1f2933',
  fov: '#1c7ed6',
  selection: '#00b5ff',
  draw: '#e64980',
  measure: '#f76707',
  // Electric lime on a dark casing: no thematic colour (usage, grades, statuses, selection) is near it.
  trace: '#c6f000',
  traceCasing: '#1d2b05',
} as const;

export const facilityColors = {
  pumping_station: '#1864ab',
  flood_gate: '#5f3dc4',
  outfall: layerColors.outfall,
  wwtp: '#8f5b2e',
  waterlogging_point: '#e03131',
} as const;

/** A facility's operating state: a gate open or shut, pumps running or idle, a level past 警戒 or 保证水位. */
export const facilityStateColors = {
  open: '#2f9e44',
  closed: '#868e96',
  running: '#1c7ed6',
  stopped: '#868e96',
  warning: layerColors.sensorWarning,
  guarantee: layerColors.sensorAlarm,
  /** A pump or gate at fault: the colour of an alarm, which it raises. */
  fault: layerColors.sensorAlarm,
} as const;

export const vehicleColors = {
  sanitation: '#2b8a3e',
  drainage: '#1971c2',
  inspection: '#7048e8',
  emergency: '#e03131',
  offline: '#868e96',
} as const;

/** People on duty and their devices (the personnel layer). */
export const personnelColors = {
  gridWorker: '#0ca678',
  enforcer: '#1c7ed6',
  device: '#f08c00',
  offline: '#868e96',
} as const;

/** Case density ramp, low → high (yellow → red), as RGB for deck.gl. */
export const densityRamp: [number, number, number][] = [
  [255, 255, 178], [254, 217, 118], [254, 178, 76], [253, 141, 60], [240, 59, 32], [189, 0, 38],
];

export const rgb = (hex: string): [number, number, number] => {
  const h = hex.replace('#', '');
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
};
