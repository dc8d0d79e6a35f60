// Unit grids (单元网格, table grids): polygons with a 15-digit code; the community they belong to is found
// by its code or, failing that, by its name and its street's.
import type { LayerTarget } from '../columns.ts';
import { GRID_CODE } from './common.ts';

export const GRIDS: LayerTarget = {
  layer: 'grids',
  table: 'grids',
  label: '单元网格 unit grids',
  fields: [
    { ...GRID_CODE, field: 'code', required: true, column: 'code', synonyms: [...GRID_CODE.synonyms, '编码', '编号', 'code', 'bm'] },
    { field: 'name', required: false, type: 'string', label: '网格名称 grid name', column: null, synonyms: ['网格名称', '网格名', '名称', 'name', 'mc'] },
    { field: 'community_code', required: false, type: 'code', label: '社区编码 community code', column: 'community_code', synonyms: ['社区编码', '社区代码', '所属社区编码', '社区编号', 'community_code'] },
    { field: 'community', required: false, type: 'string', label: '社区 community', column: null, synonyms: ['社区', '社区名称', '所属社区', '社区名', 'community'] },
    { field: 'street_code', required: false, type: 'code', label: '街道编码 street code', column: null, synonyms: ['街道编码', '街道代码', '所属街道编码', 'street_code'] },
    { field: 'street', required: false, type: 'string', label: '街道 street', column: null, synonyms: ['街道', '街道名称', '所属街道', '街道办事处', 'street'] },
    { field: 'area_m2', required: false, type: 'number', label: '面积 area (m²)', column: 'area_m2', synonyms: ['面积', '网格面积', '面积平方米', 'area_m2', 'area', 'shape_area'] },
  ],
};
