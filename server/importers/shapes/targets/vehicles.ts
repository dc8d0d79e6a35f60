// GPS vehicles (table vehicles): the plate identifies one; kind and status default; the last position and
// its time, when a ledger has them.
import type { LayerTarget } from '../columns.ts';
import { POINT_FIELDS } from './common.ts';

export const VEHICLES: LayerTarget = {
  layer: 'vehicles',
  table: 'vehicles',
  label: '车辆 vehicles',
  fields: [
    { field: 'plate', required: true, type: 'code', label: '车牌号 plate', column: 'plate', synonyms: ['车牌号', '车牌号码', '车牌', '号牌', '号牌号码', 'plate', 'plate_no', 'license_plate'] },
    {
      field: 'kind', required: false, type: 'string', label: '车辆类型 kind', column: 'kind',
      synonyms: ['车辆类型', '车辆用途', '类型', 'kind', 'type'],
      values: {
        sanitation: ['环卫', '环卫车', '洒水车', '清扫车', '垃圾车', '压缩车', '洗扫车'],
        drainage: ['排水', '排水车', '抽排车', '吸污车', '疏通车', '清淤车'],
        inspection: ['巡查', '巡查车', '巡检', '巡检车'],
        emergency: ['应急', '应急车', '抢险', '抢险车'],
      },
    },
    {
      field: 'status', required: false, type: 'string', label: '状态 status', column: 'status',
      synonyms: ['状态', '车辆状态', 'status'],
      values: { on_duty: ['作业', '作业中', '出车', '在岗', '行驶'], idle: ['空闲', '停驶', '待命'], offline: ['离线', '停用', '维修'] },
    },
    ...POINT_FIELDS,
    { field: 'speed_kmh', required: false, type: 'number', label: '速度 speed (km/h)', column: 'speed_kmh', synonyms: ['速度', '车速', 'GPS速度', 'speed', 'speed_kmh'] },
    { field: 'heading_deg', required: false, type: 'number', label: '方向 heading (°)', column: 'heading_deg', synonyms: ['方向', '航向', '方向角', 'heading', 'course'] },
    { field: 'updated_at', required: false, type: 'date', label: '定位时间 position time', column: 'updated_at', synonyms: ['定位时间', 'GPS时间', '上报时间', '时间', 'updated_at', 'gps_time', 'time'] },
    { field: 'name', required: false, type: 'string', label: '车辆名称 name', column: null, synonyms: ['车辆名称', '车辆编号', '自编号', '名称', 'name'] },
    { field: 'owner', required: false, type: 'string', label: '所属单位 owner', column: null, synonyms: ['所属单位', '使用单位', '作业单位', 'owner'] },
  ],
};
