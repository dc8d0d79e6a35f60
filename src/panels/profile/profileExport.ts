// A profile's downloads: the stations as CSV (the table a report or a spreadsheet takes), the chart as
// SVG (self-contained: its colours are attributes, not page CSS) and as PNG (the SVG drawn on a canvas).
import { toCsv } from '../../../common/csv.ts';
import type { Profile } from '../../../common/api/network.ts';

export function profileCsv(p: Profile, headers: readonly string[]): string {
  const rows = p.stations.map((s, i) => {
    const r = p.reaches[i];
    return [s.manhole.code, s.chainage_m, s.ground_m, s.invert_m, s.crown_m, s.depth_m, s.water_m,
      r?.code ?? null, s.diameter_mm, r?.up_invert_m ?? null, r?.down_invert_m ?? null, s.slope === null ? null : Math.round(s.slope * 100000) / 100,
      p.marks.filter((k) => r && k.pipe_id === r.id).map((k) => `${k.code}${k.grade}@${k.chainage_m}`).join(' ')];
  });
  return toCsv([headers, ...rows]);
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}

/** The SVG rendered at `scale` × its size on a white ground. */
export async function svgToPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const { width, height } = svg.viewBox.baseVal;
  const img = new Image();
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: 'image/svg+xml' }));
  try {
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no PNG'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
