// Pipe hazards (隐患, table hazards): a CJJ 181 defect that needs action, on a reach found by its code or by
// its position (the nearest pipe), with its grade, status and the date found.
import type { LayerTarget } from '../columns.ts';
import { FOUND_AT, GRID_CODE, PIPE_CODE, POINT_FIELDS } from './common.ts';
import { DEFECT_CODE, DEFECT_GRADE, DEFECT_NAME } from './defects.ts';

export const HAZARDS: LayerTarget = {
  layer: 'hazards',
  table: 'hazards',
  label: '管网隐患 hazards',
  fields: [
    { field: 'hazard_code', required: false, type: 'code', label: '隐患编号 hazard code', column: 'ledger_code', synonyms: ['隐患编号', '隐患编码', '隐患点编号', '编号', 'hazard_code', 'hazard_no'] },
    PIPE_CODE,
    DEFECT_CODE,
    DEFECT_NAME,
    DEFECT_GRADE,
    {
      field: 'status', required: false, type: 'string', label: '处置状态 status', column: 'status',
      synonyms: ['处置状态', '整改状态', '状态', 'status'],
      // A ledger's 未处置/待整改 (the former 'open') lists a known hazard awaiting repair: confirmed (as the remediation migration maps 'open').
      values: {
        found: ['待核实', '已发现', '新发现', 'found'],
        confirmed: ['未处置', '待处置', '未整改', '待整改', '未处理', '已确认', '已核实', 'open', 'confirmed'],
        in_repair: ['处置中', '整改中', '维修中', '修复中', '处理中', 'in_repair'],
        fixed: ['已处置', '已整改', '已修复', '已完成', '已处理', 'fixed', 'closed'],
        verified: ['已验收', '验收通过', '已复核', '已销号', 'verified'],
        rejected: ['误报', '不属实', '已排除', 'rejected'],
      },
    },
    FOUND_AT,
    { field: 'description', required: false, type: 'string', label: '描述 description', column: 'description', synonyms: ['隐患描述', '问题描述', '描述', '备注', '说明', 'description', 'remark'] },
    GRID_CODE,
    ...POINT_FIELDS,
  ],
  oneOf: [
    { alternatives: [['code'], ['defect_name']], label: '缺陷代码 or 缺陷名称 (defect code or name)' },
    { alternatives: [['pipe_code'], ['lon', 'lat'], ['x', 'y']], geometryInstead: true, label: '管段编号, or the hazard\'s position (经度/纬度, X/Y or geometry)' },
  ],
};
