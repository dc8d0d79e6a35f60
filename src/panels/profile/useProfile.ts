// Loads a profile for the dock; a newer request cancels the one in flight.
import { useEffect, useState } from 'react';
import type { Profile } from '../../../common/api/network.ts';
import { api } from '../../api/endpoints.ts';
import { ApiError, isAbort } from '../../api/client.ts';
import type { ProfileRequest } from './profileStore.ts';

export type ProfileLoad = { state: 'loading' } | { state: 'ready'; profile: Profile } | { state: 'error'; message: string; status: number };

export function useProfile(request: ProfileRequest): ProfileLoad {
  const [load, setLoad] = useState<ProfileLoad>({ state: 'loading' });
  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ state: 'loading' });
    api.profile(request.from, request.to, ctl.signal)
      .then((profile) => setLoad({ state: 'ready', profile }))
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        setLoad({ state: 'error', message: (e as Error).message, status: e instanceof ApiError ? e.status : 0 });
      });
    return () => ctl.abort();
  }, [request.from, request.to]);
  return load;
}
