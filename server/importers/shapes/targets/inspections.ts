// CCTV/QV inspection sheets (tables inspections and defects): one row a defect. The reach is named by its
// code or by its two manholes; rows of one reach and date are one inspection (layers/inspections.ts).
import type { LayerTarget } from '../columns.ts';
import { PIPE_CODE } from './common.ts';
import { DEFECT_CODE, DEFECT_GRADE, DEFECT_NAME } from './defects.ts';

export const INSPECTIONS: LayerTarget = {
  layer: 'inspections',
  table: 'defects',
  label: '检测缺陷 inspection defects',
  fields: [
    PIPE_CODE,
    { field: 'from_manhole', required: false, type: 'code', label: '起点井号 start manhole', column: null, synonyms: ['起点井号', '起始井号', '起点井编号', '起点井', '上游井号', '起点编号', 'from_manhole', 'us_node', 'from'] },
    { field: 'to_manhole', required: false, type: 'code', label: '终点井号 end manhole', column: null, synonyms: ['终点井号', '终止井号', '终点井编号', '终点井', '下游井号', '终点编号', 'to_manhole', 'ds_node', 'to'] },
    // What the sheet says of the reach itself: checked against the network, to catch a reach matched wrongly.
    { field: 'diameter_mm', required: false, type: 'number', label: '管径 diameter (mm)', column: null, synonyms: ['管径', '管道管径', '管段管径', '公称直径', 'diameter_mm', 'diameter', 'dn'] },
    { field: 'material', required: false, type: 'string', label: '管材 material', column: null, synonyms: ['管材', '材质', '管道材质', '管段材质', 'material'] },
    { field: 'pipe_length_m', required: false, type: 'number', label: '管段长度 reach length (m)', column: null, synonyms: ['管段长度', '管道长度', '管长', 'pipe_length_m', 'pipe_length'] },
    { field: 'inspected_at', required: true, type: 'date', label: '检测日期 date', column: 'inspections.inspected_at', synonyms: ['检测日期', '检测时间', '检查日期', '日期', 'inspected_at', 'date'] },
    {
      field: 'method', required: false, type: 'string', label: '检测方法 method', column: 'inspections.method',
      synonyms: ['检测方法', '检测方式', '检测手段', 'method'],
      values: { CCTV: ['CCTV', '电视检测', '管道机器人', 'CCTV检测'], QV: ['QV', '潜望镜', '管道潜望镜', 'QV检测'], sonar: ['声呐', '声纳', 'sonar'], manual: ['人工', '目视', '人工检查', 'manual'] },
    },
    {
      field: 'direction', required: false, type: 'string', label: '检测方向 direction', column: 'inspections.direction',
      synonyms: ['检测方向', '方向', 'direction'],
      values: { downstream: ['顺流', '顺向', '顺水流', '下游', 'downstream'], upstream: ['逆流', '逆向', '逆水流', '上游', 'upstream'] },
    },
    { field: 'inspected_length_m', required: false, type: 'number', label: '检测长度 inspected length (m)', column: 'inspections.inspected_length_m', synonyms: ['检测长度', '实际检测长度', 'inspected_length_m', 'inspected_length'] },
    { field: 'operator', required: false, type: 'string', label: '检测员 operator', column: 'inspections.operator', synonyms: ['检测员', '检测人员', '检测人', '操作员', 'operator'] },
    DEFECT_CODE,
    DEFECT_NAME,
    DEFECT_GRADE,
    { field: 'distance_m', required: true, type: 'number', label: '距离 distance (m)', column: 'distance_m', synonyms: ['缺陷距离', '距离', '纵向距离', '距起点距离', '位置距离', '起点距离', 'distance_m', 'distance'] },
    { field: 'length_m', required: false, type: 'number', label: '缺陷长度 length (m)', column: 'length_m', synonyms: ['缺陷长度', '长度', 'length_m', 'length'] },
    { field: 'clock', required: false, type: 'code', label: '时钟表示 clock position', column: 'clock_from', synonyms: ['时钟表示', '时钟位置', '环向位置', '时钟', 'clock'] },
    { field: 'photo', required: false, type: 'code', label: '照片编号 photo', column: null, synonyms: ['照片编号', '照片', '图片编号', '截图编号', 'photo'] },
    { field: 'note', required: false, type: 'string', label: '描述 note', column: 'note', synonyms: ['缺陷描述', '描述', '备注', '说明', 'note', 'remark', 'description'] },
  ],
  oneOf: [
    { alternatives: [['pipe_code'], ['from_manhole', 'to_manhole']], label: '管段编号, or 起点井号 and 终点井号' },
    { alternatives: [['code'], ['defect_name']], label: '缺陷代码 or 缺陷名称 (defect code or name)' },
  ],
};
