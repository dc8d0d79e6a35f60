// Scenes: the layer presets of the wall. 防汛 flood shows the drainage network by condition, facilities,
// the water-level, waterlogging and rain stations by state and the hazards; 城管 city management the cases
// (open, overdue), the vehicles, the staff on duty and their devices; 视频 video the cameras by state and
// the blind-spot grids; 全部 all of them. A scene is a set of the desktop's layer modules (src/layers/),
// a filter on the sensors, and which of the wall's own moving layers (deck.gl) draw.
export const SCENES = ['flood', 'city', 'video', 'all'] as const;
export type ChosenScene = (typeof SCENES)[number];
/**
 * 'overview' is the wall before anyone chose a scene, the default a kiosk runs all day: grids, sensors by
 * state, blind spots, vehicles and new cases (and alarms, as every scene). It is chosen over 全部 because it
 * draws what a wall is watched for (alarms, the city moving) without the layers that are dense at district
 * scale (pipes, open cases, 8,000 cameras: 全部 draws tens of thousands of features and is for a close look)
 * and without reading where people are every 15 s (only 城管 and 全部 do). A scene adds the layers of its work.
 */
export type Scene = ChosenScene | 'overview';

export const isScene = (v: unknown): v is ChosenScene => typeof v === 'string' && (SCENES as readonly string[]).includes(v);

/** Every tile layer module any scene draws (the wall's style holds them all; a scene shows some). */
export const WALL_MODULES = ['basemap', 'grids', 'pipes', 'facilities', 'hazards', 'sensors', 'cases', 'cameras'] as const;
type WallModule = (typeof WALL_MODULES)[number];

const MODULES: Record<Scene, readonly WallModule[]> = {
  overview: ['basemap', 'grids', 'sensors'],
  flood: ['basemap', 'grids', 'pipes', 'facilities', 'hazards', 'sensors'],
  city: ['basemap', 'grids', 'cases'],
  video: ['basemap', 'grids', 'cameras'],
  all: WALL_MODULES,
};

export function sceneShows(scene: Scene, module: string): boolean {
  return (MODULES[scene] as readonly string[]).includes(module);
}

/** The stations of the flood scene: water levels in manholes, lakes and channels, waterlogging depth, rain, flow. */
export const FLOOD_SENSOR_KINDS = ['ponding', 'manhole_level', 'lake_level', 'river_level', 'rain', 'flow'] as const;

/** What the wall's own layers draw in a scene. Alarms draw in every scene: they are why the wall is watched. */
export interface SceneOverlays {
  vehicles: boolean;
  newCases: boolean;
  blindSpots: boolean;
  /** Staff on duty and devices (执法记录仪, vehicle cameras) where they last reported. */
  staff: boolean;
}

export function sceneOverlays(scene: Scene): SceneOverlays {
  return {
    vehicles: scene === 'city' || scene === 'all' || scene === 'overview',
    newCases: scene === 'city' || scene === 'all' || scene === 'overview',
    blindSpots: scene === 'video' || scene === 'all' || scene === 'overview',
    staff: scene === 'city' || scene === 'all',
  };
}
