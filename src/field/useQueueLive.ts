// A handler's queue follows the cases of their department live: a case dispatched to it, changed in it or
// taken from it (the case event names the department and the one before) counts up a version the queue
// reloads on, over the same /api/live stream the walls use (the server sends a handler only such events).
import { useEffect, useState } from 'react';
import { LiveClient } from '../api/live.ts';

export function useQueueLive(department: string | null | undefined): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!department) return;
    const bump = () => setVersion((v) => v + 1);
    const live = new LiveClient({
      onMessage: (m) => { if (m.kind === 'case' && (m.data.department_code === department || m.data.department_before === department)) bump(); },
      onReset: bump,
      onReconnected: bump,
      onState: () => {},
    }, '/api/live', ['case']);
    live.start();
    return () => live.stop();
  }, [department]);
  return version;
}
