// What a camera's stream address is, read from the address alone (no request): GB/T 28181 platforms such
// as WVP hand out HLS (.m3u8) and HTTP-FLV (.flv, or ws(s)://…flv) addresses for the browser, and RTSP for
// clients on the video network, which a browser cannot open.
export type StreamKind = 'hls' | 'flv' | 'rtsp' | 'other';

export function streamKind(url: string): StreamKind {
  let u: URL;
  try {
    u = new URL(url, 'http://relative.invalid');
  } catch {
    return 'other';
  }
  if (u.protocol === 'rtsp:' || u.protocol === 'rtsps:' || u.protocol === 'rtmp:') return 'rtsp';
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) return 'other';
  const path = u.pathname.toLowerCase();
  if (path.endsWith('.m3u8') || /[?&](type|format)=hls\b/i.test(u.search)) return 'hls';
  if (path.endsWith('.flv') || /[?&](type|format)=flv\b/i.test(u.search)) return 'flv';
  return 'other';
}
