// What a printable report covers and on which paper, read from and written to its address:
//   /report?bbox=w,s,e,n&paper=a4-portrait   or   /report?trace=manhole:12&dir=downstream&paper=a3-landscape
import type { TraceDirection, TraceFrom } from '../api/types.ts';

export const PAPERS = ['a4-portrait', 'a4-landscape', 'a3-portrait', 'a3-landscape'] as const;
export type Paper = (typeof PAPERS)[number];

export type ReportScope =
  | { bbox: [number, number, number, number] }
  | { trace: TraceFrom; direction: TraceDirection };

/** The CSS @page size of a paper, e.g. "A4 portrait". */
export const pageSize = (p: Paper): string => {
  const [size, orientation] = p.split('-');
  return `${size.toUpperCase()} ${orientation}`;
};

export function reportUrl(scope: ReportScope, paper: Paper = 'a4-portrait'): string {
  const q = new URLSearchParams();
  if ('bbox' in scope) q.set('bbox', scope.bbox.map((v) => v.toFixed(6)).join(','));
  else {
    q.set('trace', scope.trace);
    q.set('dir', scope.direction);
  }
  q.set('paper', paper);
  return `/report?${decodeURIComponent(q.toString())}`;
}

/** The scope and paper of a report address; null when it names neither an area nor a trace. */
export function parseReportUrl(search: string): { scope: ReportScope; paper: Paper } | null {
  const q = new URLSearchParams(search);
  const paper = (PAPERS as readonly string[]).includes(q.get('paper') ?? '') ? (q.get('paper') as Paper) : 'a4-portrait';
  const bbox = (q.get('bbox') ?? '').split(',').map(Number);
  if (bbox.length === 4 && bbox.every(Number.isFinite) && bbox[0] < bbox[2] && bbox[1] < bbox[3]) {
    return { scope: { bbox: bbox as [number, number, number, number] }, paper };
  }
  const trace = q.get('trace') ?? '';
  const dir = q.get('dir');
  if (/^(manhole|pipe):\d{1,9}$/.test(trace) && (dir === 'upstream' || dir === 'downstream')) {
    return { scope: { trace: trace as TraceFrom, direction: dir }, paper };
  }
  return null;
}
