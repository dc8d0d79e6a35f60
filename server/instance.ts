// The name /api/health gives this server process, so that behind a balancer a client (or an operator) can
// tell which instance answered: ONEMAP_INSTANCE (`npm run cluster` names them app-1, app-2…), else host:pid.
import os from 'node:os';

export function instanceName(setting: string | undefined): string {
  return setting?.trim() || `${os.hostname()}:${process.pid}`;
}
