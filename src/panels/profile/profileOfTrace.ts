// The profile a trace result opens: downstream, the flow from the trace's start to its end; upstream
// from a manhole, the path from the first source the trace reached down to that manhole.
import type { TraceResult } from '../../api/types.ts';
import type { TraceRequest } from '../trace/traceRequest.ts';
import type { ProfileRequest } from './profileStore.ts';

export function profileOfTrace(trace: TraceRequest, result: TraceResult): ProfileRequest | null {
  if (!result.pipes.count) return null;
  if (trace.direction === 'downstream') return { from: trace.from, label: trace.origin.label };
  const [kind, id] = trace.from.split(':');
  const source = result.ends[0];
  if (kind !== 'manhole' || !source) return null;
  return { from: `manhole:${source.id}`, to: Number(id), label: `${source.code} → ${trace.origin.label}` };
}
