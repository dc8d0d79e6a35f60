// Video cameras with status and field of view; clustered below z15 with online counts.
import { tableLayer } from '../server/tiles/table-layer.ts';

export default tableLayer({
  id: 'cameras',
  name: { zh: '视频监控', en: 'Cameras' },
  description: 'Cameras: status, azimuth, horizontal field of view and range. Below z15 clustered with online counts.',
  from: 'cameras',
  columns: 'id, code, name, kind, status, azimuth_deg AS azimuth, hfov_deg AS hfov, range_m',
  fields: {
    id: 'Number', code: 'String: GB/T 28181 id', name: 'String', kind: 'String: gun | dome | ptz | fisheye',
    status: 'String: online | offline | damaged', azimuth: 'Number: degrees from north', hfov: 'Number: degrees', range_m: 'Number',
  },
  clusters: {
    fromZoom: 15,
    aggregates: `count(*) FILTER (WHERE status = 'online')::int AS online`,
    fields: { online: 'Number: online cameras in the cluster' },
  },
});
