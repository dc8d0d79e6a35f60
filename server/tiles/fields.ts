// TileJSON's field descriptions ("Number: …", "String: a | b") from the collection properties the tiles
// show, so a field's type, meaning and coded values are stated once for the tiles and the OGC collection.
import type { PropertyDef } from '../features/collection-def.ts';
import type { TileField } from './types.ts';

const MVT_TYPE: Record<PropertyDef['type'], string> = {
  string: 'String', integer: 'Number', number: 'Number', boolean: 'Boolean', date: 'String', 'date-time': 'String',
};

export function fieldText(f: TileField): string {
  if (typeof f === 'string') return f;
  const what = f.enum?.length ? f.enum.join(' | ') : f.type === 'date' || f.type === 'date-time' ? `${f.title} (ISO 8601)` : f.title;
  return `${MVT_TYPE[f.type]}: ${what}`;
}

export function fieldsText(fields: Record<string, TileField>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, fieldText(f)]));
}
