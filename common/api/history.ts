// Contract of /api/datastreams/{id}/series (server/routes/history.ts): a stream's readings over any period,
// raw for short ones and rolled up by hour or by day for long ones (raw rows are kept a number of days;
// the roll-ups for years).
import { Type, type Static } from 'typebox';
import { WithDefault } from './common.ts';

/** The longest period asked for raw readings, and for any period. */
export const MAX_RAW_DAYS = 31;
export const MAX_SERIES_DAYS = 3660;

const Resolution = Type.Union([Type.Literal('raw'), Type.Literal('hour'), Type.Literal('day')]);
export type SeriesResolution = Static<typeof Resolution>;

export const SeriesParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export type SeriesParams = Static<typeof SeriesParams>;

export const SeriesQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Start (inclusive); default 24 hours before `to`' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'End (exclusive); default now' })),
  res: WithDefault(Type.Union([Type.Literal('auto'), Type.Literal('raw'), Type.Literal('hour'), Type.Literal('day')], {
    default: 'auto', description: 'auto: raw up to 3 days, hourly up to 92 days, daily beyond',
  })),
}, { additionalProperties: false });
export type SeriesQuery = Static<typeof SeriesQuery>;

export const SeriesPoint = Type.Object({
  t: Type.String({ description: 'The reading time, or the start of its hour or day (Asia/Shanghai days)' }),
  value: Type.Number({ description: 'The reading, or the mean of the bucket' }),
  min: Type.Number(),
  max: Type.Number(),
  n: Type.Integer({ description: 'Readings in the bucket' }),
});

export const Series = Type.Object({
  datastream_id: Type.Integer(),
  quantity: Type.String(),
  unit: Type.Union([Type.String(), Type.Null()]),
  resolution: Resolution,
  raw_keep_days: Type.Integer({ description: 'Days of raw readings kept; older periods are answered by the roll-ups' }),
  points: Type.Array(SeriesPoint, { description: 'Oldest first' }),
});
export type Series = Static<typeof Series>;
