// Alarm handling from the browser (server/routes/alarms.ts): one alarm with its history and what this
// account may do, and the actions. The list is read by the wall (src/api/wall.ts) and the sensor details.
import type { AlarmActionBody, AlarmDetails, AlarmList } from '../../common/api/alarms.ts';
import type { AlarmAction, AlarmHandling, AlarmUnitLevel } from '../../common/enums.ts';
import { getJson, postJson } from './client.ts';

export type { AlarmAction, AlarmDetails, AlarmHandling, AlarmUnitLevel };

export const alarmsApi = {
  /** Open (not closed) alarms of one station, in effect or not. */
  ofStation: (stationId: number, signal?: AbortSignal) => getJson<AlarmList>(`/api/alarms?station=${stationId}&state=all&handling=open&limit=20`, signal),
  details: (id: string, signal?: AbortSignal) => getJson<AlarmDetails>(`/api/alarms/${encodeURIComponent(id)}`, signal),
  act: (id: string, action: AlarmAction, body: AlarmActionBody) => postJson<AlarmDetails>(`/api/alarms/${encodeURIComponent(id)}/actions/${action}`, body),
};
