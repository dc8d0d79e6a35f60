// Network design checks (管网设计校核): which rules a network is checked against, how grave a breach is,
// and every threshold, stated once. The set-based SQL that finds them is server/network/checks.ts; the
// words a person reads are the browser's (src/i18n: `check.<code>`), from the code and the values.

export const CHECK_CODES = [
  'reverse_slope', // 倒坡: the downstream invert above the upstream one
  'diameter_decrease', // 管径倒置: a reach smaller than the largest one flowing into its manhole
  'crown_above_incoming', // the outgoing crown above an incoming crown (管顶平接 broken)
  'manhole_too_shallow', // a pipe end below the manhole's bottom
  'no_outfall', // no way downstream to an outfall
  'rain_to_sewage', // a rain reach discharging into a sewage reach
  'sewage_to_rain', // a sewage or combined reach discharging into a rain reach
  'zero_length', // a reach of (almost) no length
  'duplicate_reach', // two reaches between the same manholes with the same diameter and course
  'levels_missing', // a reach without its inverts, or a manhole without ground or depth
] as const;
export type CheckCode = (typeof CHECK_CODES)[number];

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CHECK_SEVERITY: Record<CheckCode, Severity> = {
  reverse_slope: 'error',
  diameter_decrease: 'warning',
  crown_above_incoming: 'warning',
  manhole_too_shallow: 'error',
  no_outfall: 'error',
  rain_to_sewage: 'error',
  sewage_to_rain: 'error',
  zero_length: 'error',
  duplicate_reach: 'warning',
  levels_missing: 'info',
};

export const CHECK_LIMITS = {
  /** Survey levels carry centimetres of error: a fall reversed by less is not 倒坡. */
  reverse_slope_m: 0.01,
  /** An outgoing crown this much above the lowest incoming one breaks 管顶平接. */
  crown_rise_m: 0.02,
  /** A pipe end this far below the manhole's bottom does not fit in it. */
  below_bottom_m: 0.05,
  /** Reaches shorter than this are zero-length. */
  zero_length_m: 0.1,
  /** Two reaches between the same manholes whose courses stay this close are one reach twice. */
  duplicate_within_m: 1,
} as const;

/** Manhole kinds and facility kinds where water leaves the network. */
export const OUTLET_MANHOLE_KINDS = ['outfall'] as const;
export const OUTLET_FACILITY_KINDS = ['outfall', 'pumping_station', 'wwtp'] as const;

/** Errors first, then warnings, then notes. */
export const severityRank = (s: Severity) => SEVERITIES.indexOf(s);
