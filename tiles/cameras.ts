// Video cameras with status and field of view; clustered below z15 with online counts.
import { CAMERA_KINDS, CAMERA_STATUSES } from '../common/enums.ts';
import { synthetic, type PropertyDef } from '../server/features/collection-def.ts';
import { agg } from '../server/features/related-sql.ts';
import { tableLayer } from '../server/tiles/table-layer.ts';

const P = {
  code: { type: 'string', title: 'GB/T 28181 id', pg: 'bpchar' },
  name: { type: 'string', title: 'Name' },
  kind: { type: 'string', title: 'Kind', enum: CAMERA_KINDS },
  azimuth_deg: { type: 'number', title: 'Azimuth (° from north)' },
  hfov_deg: { type: 'number', title: 'Horizontal field of view (°)' },
  range_m: { type: 'number', title: 'Range (m)' },
  height_m: { type: 'number', title: 'Height (m)' },
  status: { type: 'string', title: 'Status', enum: CAMERA_STATUSES },
  status_since: { type: 'date-time', title: 'Status since' },
  owner: { type: 'string', title: 'Owner' },
  grid_code: { type: 'string', title: 'Unit grid code', pg: 'bpchar' },
  installed_on: { type: 'date', title: 'Installed on' },
  synthetic,
} satisfies Record<string, PropertyDef>;

// The 30 most recent days on record, oldest first. routes/details.ts leaves stream_url out for the public.
const related = `json_build_object(
    'status_days', ${agg(`json_build_object('day', x.day, 'online_ratio', x.online_ratio, 'status', x.status)`, 'x.day',
      'FROM (SELECT day, online_ratio, status FROM camera_status_days WHERE camera_id = t.id ORDER BY day DESC LIMIT 30) x')},
    'stream_url', t.stream_url)`;

export default tableLayer({
  id: 'cameras',
  name: { zh: '视频监控', en: 'Video cameras' },
  description: 'Cameras with position, azimuth, field of view, range and status.',
  tileNote: 'Below z15 clustered with online counts.',
  from: 'cameras',
  columns: 'id, code, name, kind, status, azimuth_deg AS azimuth, hfov_deg AS hfov, range_m',
  fields: {
    id: 'Number', code: P.code, name: P.name, kind: P.kind, status: P.status,
    azimuth: P.azimuth_deg, hfov: P.hfov_deg, range_m: P.range_m,
  },
  clusters: {
    fromZoom: 15,
    aggregates: `count(*) FILTER (WHERE status = 'online')::int AS online`,
    fields: { online: 'Number: online cameras in the cluster' },
  },
  collection: {
    order: 90, geometryType: 'Point', nearestInMemory: true, datetime: 'installed_on', label: { code: 't.code', name: 't.name' },
    properties: P,
    related: { sql: related, describe: 'status_days (last 30 days on record), stream_url (logged-in staff only)' },
  },
});
