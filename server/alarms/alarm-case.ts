// The case an alarm opens (once per alarm), reported by the system: sensors' alarms (live/ingest.ts) and
// facilities' (facility-alarms.ts) alike. Which catalogue item it gets is data: sensor_case_items,
// facility_case_items.
import { insertReport, type Tx } from '../cases/store.ts';
import { BadRequestError } from '../http/errors.ts';

export interface AlarmCase { item: string; lon: number; lat: number; reporter: string; description: string }

/** 1 when the alarm (not cleared, no case yet) got a case, else 0. */
export async function openAlarmCase(tx: Tx, alarmId: string, c: AlarmCase): Promise<number> {
  const { rows: [a] } = await tx.query<{ case_id: string | null }>('SELECT case_id FROM alarms WHERE id = $1 AND cleared_at IS NULL FOR UPDATE', [alarmId]);
  if (!a || a.case_id) return 0;
  let opened;
  try {
    ({ case: opened } = await insertReport(tx, {
      item_code: c.item, lon: c.lon, lat: c.lat, source: 'iot', reporter: c.reporter, description: c.description,
    }, { id: 'system', role: 'system' }, { name: c.reporter, role: 'system' }, null));
  } catch (err) {
    // A place outside every unit grid (on the river, in a lake) cannot be a grid case: the alarm stands alone.
    if (err instanceof BadRequestError) return 0;
    throw err;
  }
  await tx.query('UPDATE alarms SET case_id = $2 WHERE id = $1', [alarmId, opened.id]);
  return 1;
}
