// The case catalogue (classes 部件/事件, subclasses, items with their deadlines) and the workflow table, as
// the apps read them to offer what can be reported and which steps exist.
import type pg from 'pg';
import type { Catalogue } from '../../common/api/cases.ts';
import { TRANSITIONS } from '../domain/cases/workflow.ts';
import { readOnStandby } from '../db/replica.ts';

export async function readCatalogue(db: pg.Pool): Promise<Catalogue> {
  return readOnStandby(db, async () => {
    const [{ rows: classes }, { rows: subclasses }, { rows: items }] = await Promise.all([
      db.query<Catalogue['classes'][number]>('SELECT code, name_zh, name_en FROM case_classes ORDER BY code'),
      db.query<Catalogue['subclasses'][number]>('SELECT code, class_code, name_zh, name_en FROM case_subclasses ORDER BY code'),
      db.query<Catalogue['items'][number]>('SELECT code, subclass_code, name_zh, name_en, urgency, deadline_hours, drainage FROM case_items ORDER BY code'),
    ]);
    // The rule's effect is the server's business; requires is {} when the step needs nothing.
    const workflow = TRANSITIONS.map((t) => ({ action: t.action, from: [...t.from], to: t.to, roles: [...t.roles], requires: t.requires ?? {}, label: t.label }));
    return { classes, subclasses, items, workflow };
  });
}
