// Drainage facilities (table facilities): pumping stations, gates, outfalls, treatment plants,
// waterlogging points; points from a ledger, or any geometry from a Shapefile (lakes, channels).
import type { LayerTarget } from '../columns.ts';
import { ADDRESS, MANHOLE_CODE, POINT_FIELDS, POINT_POSITION } from './common.ts';

export const FACILITIES: LayerTarget = {
  layer: 'facilities',
  table: 'facilities',
  label: '排水设施 facilities',
  fields: [
    { field: 'code', required: true, type: 'code', label: '设施编码 facility code', column: 'code', synonyms: ['设施编码', '设施编号', '编码', '编号', 'facility_code', 'code'] },
    { field: 'name', required: true, type: 'string', label: '名称 name', column: 'name', synonyms: ['设施名称', '名称', '泵站名称', '排口名称', 'name'] },
    {
      field: 'kind', required: true, type: 'string', label: '类型 kind', column: 'kind',
      synonyms: ['设施类型', '设施类别', '类型', '类别', 'kind', 'type'],
      values: {
        pumping_station: ['泵站', '排水泵站', '雨水泵站', '污水泵站', '提升泵站', 'pump', 'pumping station'],
        flood_gate: ['闸门', '闸站', '防洪闸', '涵闸', '水闸', 'gate', 'flood gate'],
        outfall: ['排口', '排放口', '排水口', '出水口', '入河排口', 'outfall'],
        wwtp: ['污水处理厂', '污水厂', '净化厂', '水质净化厂', 'wwtp'],
        waterlogging_point: ['渍水点', '积水点', '易涝点', '内涝点', '易渍点'],
        lake: ['湖泊', '湖', 'lake'],
        channel: ['港渠', '明渠', '渠道', '河道', 'channel'],
      },
    },
    { field: 'capacity', required: false, type: 'string', label: '规模 capacity', column: 'capacity', synonyms: ['规模', '设计规模', '装机容量', '设计能力', '抽排能力', '处理能力', 'capacity'] },
    MANHOLE_CODE,
    ...POINT_FIELDS,
    ADDRESS,
  ],
  oneOf: [POINT_POSITION],
};
