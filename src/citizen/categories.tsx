// What citizens report most, in their own words, each with a line icon (drawn inline: a phone without an
// emoji font shows them all the same). The codes are Open311 service codes (case items); everything else is
// found by searching the whole service list.
const ICONS = {
  water: 'M12 3c4 5 6 8 6 11a6 6 0 0 1-12 0c0-3 2-6 6-11z',
  hole: 'M3 13a9 4 0 1 0 18 0a9 4 0 1 0-18 0M7 13a5 2 0 1 0 10 0a5 2 0 1 0-10 0',
  cover: 'M3 12a9 4 0 1 0 18 0a9 4 0 1 0-18 0M10 8.5l2 2.5-2 1.5 3 3',
  grate: 'M4 8h16v8H4zM8 8v8M12 8v8M16 8v8',
  sewage: 'M3 15c3-3 6 3 9 0s6 3 9 0M3 20c3-3 6 3 9 0s6 3 9 0M12 3v7M9 7l3 3 3-3',
  rubbish: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6',
  bin: 'M5 10h14l-1 10H6zM4 10h16M8 7l2-4M12 7V3M16 7l-2-4',
  pothole: 'M6 21 9 3M18 21 15 3M9.5 14a2.5 1.2 0 1 0 5 0a2.5 1.2 0 1 0-5 0',
  lamp: 'M8 21h8M12 21V7a4 4 0 0 1 4-4h2M16 3v4h4V3',
  tree: 'M12 21v-6M12 3a6 6 0 0 0-6 6c0 3 3 6 6 6s6-3 6-6a6 6 0 0 0-6-6z',
  works: 'M3 20h18M5 20l4-14h6l4 14M7 13h10',
  cart: 'M3 4h3l2 11h11l2-8H7M9 19.5a1 1 0 1 0 .1 0M17 19.5a1 1 0 1 0 .1 0',
  other: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .8-1 1.5V14M12 17v.5',
} as const;

export type CategoryIcon = keyof typeof ICONS;

export const COMMON: readonly { code: string; icon: CategoryIcon }[] = [
  { code: 'E0701', icon: 'water' }, { code: 'E0704', icon: 'hole' }, { code: 'E0705', icon: 'cover' },
  { code: 'E0709', icon: 'grate' }, { code: 'E0711', icon: 'sewage' }, { code: 'E0101', icon: 'rubbish' },
  { code: 'E0106', icon: 'bin' }, { code: 'E0902', icon: 'pothole' }, { code: 'E0908', icon: 'lamp' },
  { code: 'E0409', icon: 'tree' }, { code: 'E0301', icon: 'works' }, { code: 'E0601', icon: 'cart' },
];

/** The plain words of a common problem; other services are named as the catalogue names them. */
export const plainWords = (tr: (key: string, fallback?: string) => string, s: { service_code: string; service_name: string }) =>
  tr(`citizen.cat.${s.service_code}`, s.service_name);

export const iconOf = (code: string): CategoryIcon => COMMON.find((c) => c.code === code)?.icon ?? 'other';

export function CategoryIconSvg({ icon }: { icon: CategoryIcon }) {
  return (
    <svg className="cz-icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" fill="none" stroke="currentColor"
      strokeWidth={1.7} strokeLinecap="round" strokeLinejoin="round">
      <path d={ICONS[icon]} />
    </svg>
  );
}
