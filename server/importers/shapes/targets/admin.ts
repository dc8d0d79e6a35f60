// The administrative units above the unit grids (tables districts, streets, communities): polygons with
// the codes of GB/T 2260 and GB/T 30428.2 (district 6 digits, street 9, community 12), each unit found in
// the one above it by its code, or by its name when a file has only names.
import type { LayerTarget, TargetField } from '../columns.ts';

const NAME: TargetField = { field: 'name', required: true, type: 'string', label: '名称 name', column: 'name', synonyms: ['名称', '名字', 'name', 'mc'] };

export const DISTRICT: LayerTarget = {
  layer: 'district',
  table: 'districts',
  label: '行政区 district',
  fields: [
    { field: 'code', required: true, type: 'code', label: '行政区划代码 district code', column: 'code', synonyms: ['行政区划代码', '区划代码', '行政区代码', '区县代码', '县区代码', '区划编码', '编码', '代码', 'adcode', 'district_code', 'code', 'bm'] },
    { ...NAME, label: '区名称 name', synonyms: ['行政区名称', '区县名称', '区名称', '区名', ...NAME.synonyms] },
  ],
};

export const STREETS: LayerTarget = {
  layer: 'streets',
  table: 'streets',
  label: '街道 streets',
  fields: [
    { field: 'code', required: true, type: 'code', label: '街道编码 street code', column: 'code', synonyms: ['街道编码', '街道代码', '街道编号', '乡镇街道代码', '编码', '代码', 'street_code', 'code', 'bm'] },
    { ...NAME, label: '街道名称 name', synonyms: ['街道名称', '街道办事处', '街道名', ...NAME.synonyms] },
    { field: 'district_code', required: false, type: 'code', label: '行政区划代码 district code', column: 'district_code', synonyms: ['行政区划代码', '区划代码', '所属区县代码', '区县代码', 'district_code', 'adcode'] },
  ],
};

export const COMMUNITIES: LayerTarget = {
  layer: 'communities',
  table: 'communities',
  label: '社区 communities',
  fields: [
    { field: 'code', required: true, type: 'code', label: '社区编码 community code', column: 'code', synonyms: ['社区编码', '社区代码', '社区编号', '村居编码', '编码', '代码', 'community_code', 'code', 'bm'] },
    { ...NAME, label: '社区名称 name', synonyms: ['社区名称', '社区名', '村居名称', ...NAME.synonyms] },
    { field: 'street_code', required: false, type: 'code', label: '街道编码 street code', column: 'street_code', synonyms: ['街道编码', '街道代码', '所属街道编码', '所属街道代码', 'street_code'] },
    { field: 'street', required: false, type: 'string', label: '街道 street', column: null, synonyms: ['街道', '街道名称', '所属街道', '街道办事处', 'street'] },
  ],
};
