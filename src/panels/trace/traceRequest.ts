// What the app asks a trace for: where it starts and which way, what it was started from (for the
// panel's title) and why — a network trace, or following a misconnection to the outfall it pollutes.
import type { TraceDirection, TraceFrom } from '../../api/types.ts';

export interface TraceRequest {
  from: TraceFrom;
  direction: TraceDirection;
  /** The feature the trace was started from: a pipe, a manhole or a misconnection. */
  origin: { layer: string; id: string; label: string };
  purpose: 'network' | 'outfall';
  /** Where to draw the start marker, when known. */
  start: [number, number] | null;
}

export const traceKey = (r: TraceRequest): string => `${r.from}:${r.direction}:${r.purpose}`;
