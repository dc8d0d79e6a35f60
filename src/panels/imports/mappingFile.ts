// A column mapping as a file: {field: column name | null}, the template a report gives and the format the
// command line's --mapping FILE and the API's mapping= take. Saved as a download, loaded from a file.

export type Mapping = Record<string, string | null>;

/** Offers the mapping as `<layer>-mapping.json`, indented as a person edits it. */
export function downloadMapping(layer: string, mapping: Mapping): void {
  const blob = new Blob([`${JSON.stringify(mapping, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${layer}-mapping.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The mapping in a template file; null when it is not a JSON object of column names or nulls. */
export async function readMapping(file: File): Promise<Mapping | null> {
  let value: unknown;
  try {
    value = JSON.parse((await file.text()).replace(/^\uFEFF/, ''));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const entries = Object.entries(value);
  return entries.every(([, v]) => v === null || typeof v === 'string') ? Object.fromEntries(entries) as Mapping : null;
}
