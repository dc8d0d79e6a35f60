// A camera's live video in its details: HLS or HTTP-FLV addresses play in the page when asked (the player
// code is fetched then, not with the app); an RTSP address is shown with the reason it cannot play here.
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import { streamKind } from '../../video/streamKind.ts';
import type { StreamFailure } from '../../video/attach.ts';

type State = 'closed' | 'starting' | 'playing' | StreamFailure;

export function StreamPlayer({ url }: { url: string }) {
  const { t } = useI18n();
  const kind = streamKind(url);
  const playable = kind === 'hls' || kind === 'flv';
  const [state, setState] = useState<State>('closed');
  const [attempt, setAttempt] = useState(0);
  const video = useRef<HTMLVideoElement>(null);
  const open = state !== 'closed';
  const words = state === 'closed' ? '' : t(`video.state.${state}`);

  useEffect(() => {
    const el = video.current;
    if (!open || !el) return;
    let stop: (() => void) | null = null;
    let gone = false;
    const onPlaying = () => setState('playing');
    el.addEventListener('playing', onPlaying);
    import('../../video/attach.ts')
      .then(({ attachStream }) => attachStream(el, url, kind, (f) => { if (!gone) setState(f); }))
      .then((s) => { if (gone) s(); else stop = s; })
      .catch(() => { if (!gone) setState('network'); }); // the player's own code did not load
    return () => {
      gone = true;
      el.removeEventListener('playing', onPlaying);
      stop?.();
    };
    // A new attempt (retry) or another address starts a new player; state changes within one do not.
  }, [open, url, kind, attempt]);

  return (
    <div className="details-stream" data-testid="camera-stream" data-state={state}>
      <p>
        {t('details.stream')}: <code>{url}</code>
      </p>
      {!playable && <p className="muted" data-testid="stream-unplayable">{t(kind === 'rtsp' ? 'video.rtsp' : 'video.unknown')}</p>}
      {playable && !open && (
        <button type="button" className="button" data-testid="stream-play" onClick={() => setState('starting')}>{t('video.play')}</button>
      )}
      {open && (
        <>
          <video ref={video} className="stream-video" data-testid="stream-video" controls muted playsInline />
          <div className="stream-bar">
            <span role="status" className={state === 'starting' || state === 'playing' ? 'muted' : 'stream-error'} data-testid="stream-status">
              {words}
            </span>
            {state !== 'starting' && state !== 'playing' && (
              <button type="button" className="button" onClick={() => { setState('starting'); setAttempt((n) => n + 1); }}>{t('common.retry')}</button>
            )}
            <button type="button" className="button" data-testid="stream-stop" onClick={() => setState('closed')}>{t('video.stop')}</button>
          </div>
        </>
      )}
    </div>
  );
}
