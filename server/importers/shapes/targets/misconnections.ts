// Storm/sanitary misconnections (雨污混接, table misconnections): a point, optionally on a reach or at a
// manhole, with its kind, status, date found and estimated flow.
import type { LayerTarget } from '../columns.ts';
import { FOUND_AT, GRID_CODE, MANHOLE_CODE, PIPE_CODE, POINT_FIELDS, POINT_POSITION } from './common.ts';

export const MISCONNECTIONS: LayerTarget = {
  layer: 'misconnections',
  table: 'misconnections',
  label: '雨污混接 misconnections',
  fields: [
    { field: 'code', required: false, type: 'code', label: '混接点编号 code', column: 'ledger_code', synonyms: ['混接点编号', '混接编号', '编号', 'code'] },
    {
      field: 'kind', required: false, type: 'string', label: '混接类型 kind', column: 'kind',
      synonyms: ['混接类型', '混接方式', '类型', 'kind', 'type'],
      values: {
        sanitary_to_storm: ['污水混入雨水', '污水接入雨水管', '污水管接入雨水管', '雨水管混接污水', '污接雨', '污混雨'],
        storm_to_sanitary: ['雨水混入污水', '雨水接入污水管', '雨水管接入污水管', '污水管混接雨水', '雨接污', '雨混污'],
        other: ['其他', '其它'],
      },
    },
    {
      field: 'status', required: false, type: 'string', label: '状态 status', column: 'status',
      synonyms: ['整改状态', '处置状态', '状态', 'status'],
      values: {
        found: ['已发现', '待整改', '未整改', '待核实'],
        confirmed: ['已确认', '已核实'],
        in_repair: ['整改中', '改造中', '处置中'],
        fixed: ['已整改', '已改造', '已完成'],
        verified: ['已销号', '已验收', '验收通过'],
        rejected: ['误报', '不属实', '已排除'],
      },
    },
    FOUND_AT,
    { field: 'flow_m3d', required: false, type: 'number', label: '混接水量 flow (m³/d)', column: 'flow_m3d', synonyms: ['混接水量', '水量', '混接流量', '流量', 'flow_m3d', 'flow'] },
    PIPE_CODE,
    MANHOLE_CODE,
    GRID_CODE,
    ...POINT_FIELDS,
  ],
  oneOf: [POINT_POSITION],
};
