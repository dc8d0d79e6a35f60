// What the e2e tests read from the wall (window.__wall), beside the map itself (window.__map, src/map/testHooks.ts).
export interface WallHooks {
  /** deck.gl loaded and the overlay added. */
  deckReady(): boolean;
  /** Objects drawn by a deck layer family, found by picking the whole canvas. */
  deckPickCount(prefix: 'alarms' | 'vehicles' | 'newcases' | 'personnel'): number;
  /** The id of the alarm deck.gl draws at a place, or null. */
  alarmAt(lon: number, lat: number): string | null;
  /** Alarm ids listed, in the list's order, and the ids the map is showing. */
  alarms(): { ids: string[]; focus: string[] };
  /** The live stream: state, last event id and counters. */
  live(): { state: string; lastEventId: string | null; opens: number; reconnects: number; events: number; resets: number };
  /** The playlist: current view id, its step's index, paused, the views of the unit, the scene shown, the steps. */
  view(): { id: string | null; index: number; paused: boolean; count: number; scene: string; steps: number };
  /** The wall's scale (1 at 1920×1080). */
  scale(): number;
}

declare global {
  interface Window {
    __wall?: WallHooks;
  }
}

export function exposeWallHooks(hooks: WallHooks | undefined): void {
  window.__wall = hooks;
}
