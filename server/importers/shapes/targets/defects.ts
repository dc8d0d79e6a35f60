// CJJ 181-2012 defect fields, shared by inspections (defects) and hazards: the code or the Chinese name
// (codes.ts reads either), and the grade in any of its written forms.
import type { TargetField } from '../columns.ts';

export const DEFECT_CODE: TargetField = {
  field: 'code', required: false, type: 'code', label: '缺陷代码 defect code', column: 'code',
  synonyms: ['缺陷代码', '缺陷代号', '缺陷编码', '缺陷编号', '代码', 'defect_code', 'defectcode', 'code'],
};
export const DEFECT_NAME: TargetField = {
  field: 'defect_name', required: false, type: 'string', label: '缺陷名称 defect name', column: null,
  synonyms: ['缺陷名称', '缺陷类型', '缺陷种类', '缺陷', '隐患类型', 'defect_name', 'defect'],
};
export const DEFECT_GRADE: TargetField = {
  field: 'grade', required: true, type: 'integer', label: '缺陷等级 grade (1–4)', column: 'grade',
  synonyms: ['缺陷等级', '等级', '级别', '缺陷级别', '隐患等级', 'grade', 'level'],
};
