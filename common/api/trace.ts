// Upstream/downstream traces of the drainage network and exports of traced or selected reaches
// (server/routes/trace.ts).
import { Type, type Static } from 'typebox';
import { EXPORT_FORMATS, MAX_EXPORT } from '../../server/network/export.ts';
import { CAMERA_REACH_M, LIST_LIMIT, TRACE_METHODS } from '../../server/network/tracer.ts';
import { FeatureCollection } from './geojson.ts';
import { Dict, Nullable, StringEnum, WithDefaults } from './shapes.ts';

export const TraceFromParam = Type.String({ pattern: '^(manhole|pipe):[0-9]{1,9}$', description: 'Where to start: manhole:<id> or pipe:<id> (the pipe is included)' });
export const DirectionParam = StringEnum(['upstream', 'downstream']);
export type Direction = Static<typeof DirectionParam>;

export const TraceQuery = WithDefaults({
  from: TraceFromParam,
  direction: DirectionParam,
  method: StringEnum(TRACE_METHODS, { default: 'memory', description: 'memory (in-memory graph), cte (recursive SQL) or pgrouting; same answer' }),
}, { additionalProperties: false });
export type TraceQuery = Static<typeof TraceQuery>;

const listed = (description: string) => ({ description: `${description} (the list stops at ${LIST_LIMIT}; count is complete)` });

/** What a trace reaches. */
export const TraceSummary = Type.Object({
  start: Type.Object({ kind: StringEnum(['manhole', 'pipe']), id: Type.Integer() }),
  direction: DirectionParam,
  method: StringEnum(TRACE_METHODS),
  pipes: Type.Object({ count: Type.Integer(), length_m: Type.Number(), ids: Type.Array(Type.Integer()) }),
  manholes: Type.Object({ count: Type.Integer(), ids: Type.Array(Type.Integer()) }),
  facilities: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), kind: Type.String() }), {
    description: 'Outfalls, pumping stations, treatment plants and flood gates on the trace\'s manholes',
  }),
  ends: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), kind: Type.String() }), {
    description: 'The last manholes: where the water leaves the network (downstream) or where it starts (upstream)',
  }),
  grids: Type.Array(Type.String(), { description: 'Codes of the unit grids the traced reaches cross' }),
  communities: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), street: Type.String() })),
  sensors: Type.Object({
    count: Type.Integer(),
    items: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), kind: Type.String(), status: Type.String() })),
  }, listed('Sensor stations on the trace\'s manholes')),
  cameras: Type.Object({
    count: Type.Integer(),
    items: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), status: Type.String(), distance_m: Type.Number() })),
  }, listed(`Cameras within ${CAMERA_REACH_M} m of a traced reach, nearest first`)),
  hazards: Type.Object({ count: Type.Integer(), open: Type.Integer() }),
  misconnections: Type.Object({ count: Type.Integer(), by_kind: Dict(Type.Integer()) }),
  revisits: Nullable(Type.Integer({ description: 'Loops or parallel reaches met (memory method; null for the others)' })),
  timing_ms: Type.Object({ trace: Type.Number(), describe: Type.Number() }),
}, { description: 'What the trace reaches' });
export type TraceSummary = Static<typeof TraceSummary>;

export const ExportFormatParam = StringEnum(EXPORT_FORMATS);
export type ExportFormat = Static<typeof ExportFormatParam>;

export const ExportQuery = Type.Object({
  format: ExportFormatParam,
  from: Type.Optional(TraceFromParam),
  direction: Type.Optional(DirectionParam),
  ids: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}(,[0-9]{1,9})*$', maxLength: 200_000, description: 'Pipe ids, comma-separated' })),
}, { additionalProperties: false });

export const ExportBody = Type.Object({
  format: ExportFormatParam,
  ids: Type.Array(Type.Integer({ minimum: 1, maximum: 2147483647 }), { minItems: 1, maxItems: MAX_EXPORT }),
}, { additionalProperties: false });

/** The file, by format: a download (Content-Disposition: attachment). */
export const ExportFile = {
  description: 'The reaches as a file: geojson, csv (geometry as WKT), gpkg (reaches and their manholes) or inp (an EPA SWMM 5 subnetwork)',
  content: {
    'application/geo+json': { schema: FeatureCollection },
    'text/csv': { schema: Type.String({ description: 'One reach a line, geometry as WKT' }) },
    'application/geopackage+sqlite3': { schema: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: 'GeoPackage with the layers pipes and manholes' }) },
    'text/plain': { schema: Type.String({ description: 'EPA SWMM 5 input file (.inp), in metres, in the UTM zone of its centre' }) },
  },
};
