// Storm/sanitary misconnection points (雨污混接): a few thousand, shown at every zoom.
import { tableLayer } from '../server/tiles/table-layer.ts';

export default tableLayer({
  id: 'misconnections',
  name: { zh: '雨污混接', en: 'Misconnections' },
  description: 'Storm/sanitary misconnection points with type and status.',
  from: 'misconnections',
  columns: 'id, kind, status, pipe_id',
  fields: {
    id: 'Number', kind: 'String: sanitary_to_storm | storm_to_sanitary | other',
    status: 'String: found | confirmed | fixed', pipe_id: 'Number',
  },
});
