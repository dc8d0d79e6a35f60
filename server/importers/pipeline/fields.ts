// The fields of a layer as a report lists them for a mapping editor: in the order of the mapping template
// (columns.ts mappingTemplate: required fields first), so a client can show the template as it is.
import type { LayerImportReport } from '../../../common/api/imports.ts';
import type { LayerTarget } from '../shapes/columns.ts';

export function fieldsOf(target: LayerTarget): NonNullable<LayerImportReport['fields']> {
  return [...target.fields]
    .sort((a, b) => Number(b.required) - Number(a.required))
    .map((f) => ({ field: f.field, label: f.label, required: f.required }));
}
