// The map's and the field app's spatial queries: k nearest features, features within a polygon or a
// radius, and the unit grid at a point. Coordinates are checked (finite, in range, not swapped) and
// converted from GCJ-02 when the client says so; the Catalog does the rest.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/api/errors.ts';
import { GridAt, GridAtQuery, Nearest, NearestQuery, Within, WithinBody } from '../../common/api/query.ts';
import { COLLECTION_IDS, findCollection, type CollectionDef } from '../features/collections.ts';
import { BadRequestError, NotFoundError, show } from '../http/errors.ts';
import { checkLonLat, MAX_RADIUS_M, parseAreaGeoJson, parseCrs, toWgs84, type InputCrs } from '../geo/input.ts';
import { bulkCompress, catalogOf, sendJsonText, useApiErrors, type FeatureRouteOptions } from '../http/route-helpers.ts';
import type { Area } from '../features/spatial.ts';
import { ANONYMOUS } from '../limits/anonymous.ts';
import { expensive, isAnonymous } from '../limits/expensive.ts';

/** "manholes,cameras" → the collections, each once, in the order given. */
export function parseLayers(raw: unknown): CollectionDef[] {
  const names = (Array.isArray(raw) ? raw : String(raw ?? '').split(',')).map((s) => String(s).trim()).filter(Boolean);
  if (!names.length) throw new BadRequestError(`layers is empty; choose from ${COLLECTION_IDS.join(', ')}`);
  const out: CollectionDef[] = [];
  for (const n of names) {
    const c = findCollection(n);
    if (!c) throw new BadRequestError(`unknown layer ${show(n)}; layers: ${COLLECTION_IDS.join(', ')}`);
    if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** A client's point: checked, then in WGS84. */
function point(lon: unknown, lat: unknown, crs: InputCrs): [number, number] {
  return toWgs84(checkLonLat(lon, lat), crs);
}

const queryRoutes: FastifyPluginAsyncTypebox<FeatureRouteOptions> = async (app, opts) => {
  const catalog = catalogOf(opts);
  useApiErrors(app);

  app.get('/api/query/nearest', {
    compress: bulkCompress,
    schema: {
      summary: 'The k nearest features of one or more layers to a point (KNN index), with geodesic distance and bearing',
      tags: ['query'],
      querystring: NearestQuery,
      response: { 200: Nearest, ...errorResponses },
    },
  }, async (req) => {
    const q = req.query;
    const layers = parseLayers(q.layers);
    const [lon, lat] = point(q.lon, q.lat, parseCrs(q.crs));
    return { lon, lat, results: await catalog.nearest(layers, lon, lat, q.k) };
  });

  app.post('/api/query/within', {
    compress: bulkCompress,
    schema: {
      summary: 'Features of chosen layers inside a GeoJSON polygon or within a radius of a point: exact counts and up to `limit` features per layer',
      description: `Give exactly one of geometry (GeoJSON Polygon or MultiPolygon, closed rings, ≤ 10 000 vertices) or circle (radius ≤ ${MAX_RADIUS_M} m).
A feature is inside when it intersects the area (a pipe partly inside counts). A self-intersecting polygon is refused with 400 rather than repaired,
because a repair (ST_MakeValid) can silently change which area is meant.`,
      tags: ['query'],
      body: WithinBody,
      response: { 200: Within, ...errorResponses },
    },
    preHandler: expensive(opts.pool),
    config: { readOnly: true },
  }, async (req, reply) => {
    const b = req.body;
    const limit = opts.pool && await isAnonymous(req, opts.pool) ? Math.min(b.limit, ANONYMOUS.features) : b.limit;
    const layers = parseLayers(b.layers);
    const crs = parseCrs(b.crs);
    if ((b.geometry === undefined) === (b.circle === undefined)) throw new BadRequestError('give exactly one of geometry (a GeoJSON Polygon or MultiPolygon) or circle ({ lon, lat, radius_m })');
    let area: Area;
    if (b.circle) {
      const [lon, lat] = point(b.circle.lon, b.circle.lat, crs);
      // The schema's range does not hold for "Infinity" sent as text (Ajv coerces it past the maximum).
      if (!(b.circle.radius_m > 0 && b.circle.radius_m <= MAX_RADIUS_M)) throw new BadRequestError(`circle.radius_m must be a number of metres in (0, ${MAX_RADIUS_M}]`);
      area = { kind: 'circle', lon, lat, radius_m: b.circle.radius_m };
    } else {
      area = { kind: 'polygon', geometry: parseAreaGeoJson(b.geometry, crs) };
    }
    const result = await catalog.within(layers, area, limit);
    const counts = Object.fromEntries(layers.map((c) => [c.id, result[c.id].count]));
    const features = layers.map((c) => {
      const r = result[c.id];
      return `${JSON.stringify(c.id)}:{"type":"FeatureCollection","numberMatched":${r.count},"numberReturned":${r.returned},"features":[${r.featuresText}]}`;
    });
    // The features arrive as GeoJSON text from PostgreSQL; they are joined, not re-serialised.
    return sendJsonText(reply, 'application/json; charset=utf-8', `{"counts":${JSON.stringify(counts)},"features":{${features.join(',')}}}`);
  });

  app.get('/api/grids/at', {
    schema: {
      summary: 'The unit grid containing a point, with its community, street and district',
      tags: ['query'],
      querystring: GridAtQuery,
      response: { 200: GridAt, ...errorResponses },
    },
  }, async (req) => {
    const [lon, lat] = point(req.query.lon, req.query.lat, parseCrs(req.query.crs));
    const r = await catalog.gridAt(lon, lat);
    if (r.found) return r.at;
    const where = `${lon.toFixed(6)}, ${lat.toFixed(6)}`;
    if (r.district && r.distance_m === 0) throw new NotFoundError(`no unit grid covers ${where}, although it is inside ${r.district.name}`);
    const away = r.distance_m !== null ? ` (${(r.distance_m / 1000).toFixed(1)} km away)` : '';
    throw new NotFoundError(`${where} is outside ${r.district?.name ?? 'the district'}${away}; unit grids cover only the district`);
  });
};

export default queryRoutes;
