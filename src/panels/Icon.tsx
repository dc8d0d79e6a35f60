// Small line icons drawn inline (no icon font, no sprite): 24×24 view box, currentColor.
const PATHS = {
  ruler: 'M3 17 17 3l4 4L7 21zM7 13l2 2M10 10l2 2M13 7l2 2',
  area: 'M4 6l7-3 9 5-3 11-11 2zM4 6l2 15',
  polygon: 'M5 7l6-4 8 5-2 10-10 1z',
  circle: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM12 12h9',
  camera: 'M4 8h3l2-3h6l2 3h3v11H4zM12 10a3.5 3.5 0 1 0 0 7a3.5 3.5 0 1 0 0-7',
  printer: 'M7 9V3h10v6M5 9h14a2 2 0 0 1 2 2v6h-4v4H7v-4H3v-6a2 2 0 0 1 2-2zM8 15h8v5H8z',
  moon: 'M20 14.5A8 8 0 1 1 9.5 4a6.5 6.5 0 0 0 10.5 10.5z',
  sun: 'M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8zM12 2v2M12 20v2M2 12h2M20 12h2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4',
  search: 'M10.5 4a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13zM15.5 15.5 20 20',
  close: 'M6 6l12 12M18 6 6 18',
  chevron: 'M9 6l6 6-6 6',
  plus: 'M12 5v14M5 12h14',
  minus: 'M5 12h14',
  home: 'M4 11 12 4l8 7v9h-5v-6H9v6H4z',
  play: 'M8 5v14l11-7z',
  pause: 'M7 5h4v14H7zM13 5h4v14h-4z',
  warning: 'M12 3 2 20h20zM12 9v5M12 17v.5',
  download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
  target: 'M12 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16zM12 1v5M12 18v5M1 12h5M18 12h5',
  layers: 'M12 3 2 8l10 5 10-5zM2 13l10 5 10-5M2 17.5l10 5 10-5',
  copy: 'M8 8h11v13H8zM5 16H4V3h11v1',
  chart: 'M4 4v16h16M8 16v-4M12 16V8M16 16v-6M20 16V6',
  upload: 'M12 16V5M7 10l5-5 5 5M5 20h14',
  upstream: 'M12 20V6M6 12l6-6 6 6M4 3h16',
  downstream: 'M12 4v14M6 12l6 6 6-6M4 21h16',
  outfall: 'M4 6h9a4 4 0 0 1 4 4v2M17 12c0 3 3 4 3 7a3 3 0 0 1-6 0c0-3 3-4 3-7z',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6',
  pencil: 'M4 20l1-5L16 4l4 4L9 19zM14 6l4 4',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size }: { name: IconName; size?: number }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width={size ?? '1.15em'} height={size ?? '1.15em'} aria-hidden="true" focusable="false"
      fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round">
      <path d={PATHS[name]} />
    </svg>
  );
}
