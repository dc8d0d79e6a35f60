// The key of a hazard or misconnection: its ledger code when the file has one; else what the row is —
// where (its reach's code, or its position to about a metre) and what (defect code, kind) and when found —
// so that the same ledger imported again finds the rows it made instead of adding them twice. Keys made
// here start with "~", which no ledger code is taken to start with.
export function ledgerKey(code: string | number | null, parts: readonly (string | number | null | undefined)[]): string {
  if (code !== null && String(code).trim()) return String(code).trim();
  return `~${parts.map((p) => (p === null || p === undefined ? '' : String(p))).join('|')}`;
}

export function placeOf(pipeCode: string | number | null, point: readonly [number, number] | null): string | null {
  if (pipeCode !== null) return `pipe ${pipeCode}`;
  return point ? `${point[0].toFixed(5)},${point[1].toFixed(5)}` : null;
}
