// Plays a camera stream in a <video>. Loaded with import() only when someone opens a stream, so hls.js and
// mpegts.js (a few hundred kB) stay out of the first load. HLS plays natively where the browser can
// (Safari, newer Chrome), else through hls.js on Media Source Extensions; HTTP-FLV through mpegts.js.
import type { StreamKind } from './streamKind.ts';

/** Why a stream does not play, in the words the panel shows (video.error.<reason>). */
export type StreamFailure = 'network' | 'media' | 'unsupported';

/** Starts playing `url` in `video`; `onFailure` when it cannot go on. The result stops it and frees the player. */
export async function attachStream(video: HTMLVideoElement, url: string, kind: StreamKind, onFailure: (f: StreamFailure) => void): Promise<() => void> {
  video.muted = true; // browsers start muted video without a gesture; camera streams rarely carry sound
  video.playsInline = true;
  if (kind === 'hls') return attachHls(video, url, onFailure);
  if (kind === 'flv') return attachFlv(video, url, onFailure);
  onFailure('unsupported');
  return () => {};
}

/** The element's own error: a source that cannot be fetched, or media it cannot decode. */
function watchElement(video: HTMLVideoElement, onFailure: (f: StreamFailure) => void): () => void {
  const onError = () => {
    const code = video.error?.code;
    onFailure(code === MediaError.MEDIA_ERR_NETWORK || code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED ? 'network' : 'media');
  };
  video.addEventListener('error', onError);
  return () => video.removeEventListener('error', onError);
}

const play = (video: HTMLVideoElement) => void video.play().catch(() => { /* paused by the user or the element unloaded: not a failure */ });

async function attachHls(video: HTMLVideoElement, url: string, onFailure: (f: StreamFailure) => void): Promise<() => void> {
  if (video.canPlayType('application/vnd.apple.mpegurl')) {
    const unwatch = watchElement(video, onFailure);
    video.src = url;
    play(video);
    return () => { unwatch(); video.removeAttribute('src'); video.load(); };
  }
  const { default: Hls } = await import('hls.js');
  if (!Hls.isSupported()) {
    onFailure('unsupported');
    return () => {};
  }
  const hls = new Hls({ liveDurationInfinity: true, manifestLoadingMaxRetry: 2, levelLoadingMaxRetry: 2, fragLoadingMaxRetry: 2 });
  let recovered = false;
  hls.on(Hls.Events.ERROR, (_e, data) => {
    if (!data.fatal) return;
    // A decoding hiccup is often cured by rebuilding the media buffers once; a second one is not.
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !recovered) {
      recovered = true;
      hls.recoverMediaError();
      return;
    }
    onFailure(data.type === Hls.ErrorTypes.NETWORK_ERROR ? 'network' : 'media');
    hls.destroy();
  });
  hls.on(Hls.Events.MANIFEST_PARSED, () => play(video));
  hls.loadSource(url);
  hls.attachMedia(video);
  return () => hls.destroy();
}

async function attachFlv(video: HTMLVideoElement, url: string, onFailure: (f: StreamFailure) => void): Promise<() => void> {
  const { default: mpegts } = await import('mpegts.js');
  if (!mpegts.isSupported()) {
    onFailure('unsupported');
    return () => {};
  }
  const player = mpegts.createPlayer({ type: 'flv', isLive: true, url }, { enableStashBuffer: false, liveBufferLatencyChasing: true });
  player.on(mpegts.Events.ERROR, (type: string) => onFailure(type === mpegts.ErrorTypes.NETWORK_ERROR ? 'network' : 'media'));
  player.attachMediaElement(video);
  player.load();
  play(video);
  return () => { player.destroy(); };
}
