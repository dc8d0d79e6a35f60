// IoT monitoring stations (table sensor_stations) and, per row, the quantity they measure with its unit and
// thresholds (table datastreams): 阈值 alone is the alarm level.
import type { LayerTarget } from '../columns.ts';
import { ADDRESS, MANHOLE_CODE, POINT_FIELDS, POINT_POSITION } from './common.ts';

export const SENSORS: LayerTarget = {
  layer: 'sensors',
  table: 'sensor_stations',
  label: '物联感知 sensor stations',
  fields: [
    { field: 'code', required: true, type: 'code', label: '站点编码 station code', column: 'code', synonyms: ['站点编码', '站点编号', '测站编码', '测站编号', '监测点编码', '监测点编号', '设备编码', '设备编号', '编码', '编号', 'station_code', 'code'] },
    { field: 'name', required: true, type: 'string', label: '名称 name', column: 'name', synonyms: ['站点名称', '测站名称', '监测点名称', '监测点位', '设备名称', '名称', 'name'] },
    {
      field: 'kind', required: true, type: 'string', label: '类型 kind', column: 'kind',
      synonyms: ['站点类型', '监测类型', '设备类型', '类型', 'kind', 'type'],
      values: {
        manhole_level: ['井下液位', '井下水位', '管网液位', '检查井液位', '液位计', '液位'],
        ponding: ['积水', '积水监测', '路面积水', '易涝点积水', '积水深度'],
        rain: ['雨量', '雨量计', '雨量站', '降雨'],
        lake_level: ['湖泊水位', '湖泊液位', '湖水位'],
        river_level: ['河道水位', '港渠水位', '河道液位', '渠道水位'],
        flow: ['流量', '流量计', '管网流量'],
        water_quality: ['水质', '水质监测', '水质站'],
        pressure: ['压力', '管网压力', '压力计'],
        toilet_nh3: ['公厕氨气', '氨气', '公厕异味', 'NH3'],
        lpg: ['燃气', '液化气', '可燃气体', '燃气泄漏'],
        fume: ['油烟', '餐饮油烟', '油烟监测'],
      },
    },
    {
      field: 'status', required: false, type: 'string', label: '状态 status', column: 'status',
      synonyms: ['运行状态', '设备状态', '状态', 'status'],
      values: { normal: ['正常', '在线', 'online'], warning: ['预警', '警告'], alarm: ['报警', '告警'], offline: ['离线', '故障', 'offline'] },
    },
    ...POINT_FIELDS,
    { field: 'quantity', required: false, type: 'string', label: '监测项 quantity', column: 'datastreams.quantity', synonyms: ['监测项', '监测指标', '监测要素', '指标', 'quantity', 'parameter'] },
    { field: 'unit', required: false, type: 'string', label: '单位 unit', column: 'datastreams.unit', synonyms: ['单位', '计量单位', 'unit'] },
    { field: 'warn_level', required: false, type: 'number', label: '预警值 warning level', column: 'datastreams.warn_level', synonyms: ['预警值', '预警阈值', '警戒值', '一级阈值', 'warn_level', 'warning'] },
    { field: 'alarm_level', required: false, type: 'number', label: '报警值 alarm level', column: 'datastreams.alarm_level', synonyms: ['报警值', '报警阈值', '告警阈值', '告警值', '二级阈值', '阈值', 'alarm_level', 'threshold'] },
    {
      field: 'direction', required: false, type: 'string', label: '报警方向 direction', column: 'datastreams.direction',
      synonyms: ['报警方向', '阈值方向', '越限方向', 'direction'],
      values: { above: ['上限', '高于', '超上限', '大于', 'high'], below: ['下限', '低于', '超下限', '小于', 'low'] },
    },
    { field: 'facility_code', required: false, type: 'code', label: '所属设施 facility code', column: null, synonyms: ['所属设施编码', '设施编码', '所属设施', 'facility_code'] },
    MANHOLE_CODE,
    ADDRESS,
  ],
  oneOf: [POINT_POSITION],
};
