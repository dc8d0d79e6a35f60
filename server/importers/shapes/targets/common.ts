// Fields many layers share: where a point is (longitude/latitude or projected X/Y columns), its address,
// the unit grid it lies in, when it was found or installed.
import type { OneOf, TargetField } from '../columns.ts';

export const LON: TargetField = {
  field: 'lon', required: false, type: 'number', label: '经度 longitude', column: 'geom',
  synonyms: ['经度', '东经', 'GPS经度', '经度坐标', '坐标经度', 'lon', 'lng', 'long', 'longitude', 'wgs84经度'],
};
export const LAT: TargetField = {
  field: 'lat', required: false, type: 'number', label: '纬度 latitude', column: 'geom',
  synonyms: ['纬度', '北纬', 'GPS纬度', '纬度坐标', '坐标纬度', 'lat', 'latitude', 'wgs84纬度'],
};
// Chinese surveying names X the northing and Y the easting; crs.ts's coordinateKind tells when a file did.
export const X: TargetField = {
  field: 'x', required: false, type: 'number', label: 'X 坐标 (东)', column: 'geom',
  synonyms: ['X坐标', 'X', '横坐标', '东坐标', '坐标X', 'point_x', 'easting', 'east'],
};
export const Y: TargetField = {
  field: 'y', required: false, type: 'number', label: 'Y 坐标 (北)', column: 'geom',
  synonyms: ['Y坐标', 'Y', '纵坐标', '北坐标', '坐标Y', 'point_y', 'northing', 'north'],
};
export const POINT_FIELDS = [LON, LAT, X, Y] as const;

/** A point layer needs coordinate columns, unless the file has geometry (a Shapefile). */
export const POINT_POSITION: OneOf = {
  alternatives: [['lon', 'lat'], ['x', 'y']],
  geometryInstead: true,
  label: '经度/纬度 or X/Y columns (or a file with geometry)',
};

export const ADDRESS: TargetField = {
  field: 'address', required: false, type: 'string', label: '地址 address', column: null,
  synonyms: ['地址', '安装位置', '安装地址', '位置', '详细地址', '所在位置', '点位地址', '地点', 'address', 'location'],
};

export const GRID_CODE: TargetField = {
  field: 'grid_code', required: false, type: 'code', label: '网格编码 unit grid code', column: 'grid_code',
  synonyms: ['网格编码', '单元网格编码', '所属网格编码', '网格编号', '所属网格', '网格代码', 'grid_code', 'gridcode', 'grid'],
};

export const FOUND_AT: TargetField = {
  field: 'found_at', required: false, type: 'date', label: '发现日期 date found', column: 'found_at',
  synonyms: ['发现日期', '发现时间', '排查日期', '调查日期', '普查日期', '检测日期', '日期', 'found_at', 'date'],
};

export const PIPE_CODE: TargetField = {
  field: 'pipe_code', required: false, type: 'code', label: '管段编号 pipe code', column: null,
  synonyms: ['管段编号', '管段编码', '管线编号', '管线编码', '管道编号', '管段号', '所属管段', 'pipe_code', 'pipe_id', 'pipeid'],
};

export const MANHOLE_CODE: TargetField = {
  field: 'manhole_code', required: false, type: 'code', label: '检查井编号 manhole code', column: null,
  synonyms: ['检查井编号', '井编号', '井号', '窨井编号', '检查井编码', '关联井', 'manhole_code', 'manhole'],
};
