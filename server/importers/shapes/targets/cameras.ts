// Video cameras (table cameras): the GB/T 28181 code, name and position are needed; kind, view and status
// default when a ledger lacks them (azimuth 0, 60° field of view, 50 m, online).
import type { LayerTarget } from '../columns.ts';
import { ADDRESS, GRID_CODE, POINT_FIELDS, POINT_POSITION } from './common.ts';

export const CAMERAS: LayerTarget = {
  layer: 'cameras',
  table: 'cameras',
  label: '视频监控 cameras',
  fields: [
    { field: 'code', required: true, type: 'code', label: '设备编码 GB/T 28181 code', column: 'code', synonyms: ['设备编码', '国标编码', '国标ID', '国标编号', 'GB28181编码', 'GB28181', '设备国标编码', '通道编码', '通道国标编码', '设备编号', '编码', 'device_id', 'deviceid', 'gb_id', 'code'] },
    { field: 'name', required: true, type: 'string', label: '名称 name', column: 'name', synonyms: ['设备名称', '点位名称', '监控点名称', '摄像机名称', '通道名称', '名称', 'name'] },
    {
      field: 'kind', required: false, type: 'string', label: '类型 kind', column: 'kind',
      synonyms: ['摄像机类型', '相机类型', '设备类型', '类型', '型式', 'kind', 'type'],
      values: { gun: ['枪机', '枪式', '枪型', '固定枪机', 'bullet', 'box'], dome: ['球机', '半球', '半球机', '球型', 'dome'], ptz: ['云台', '云台球机', '高速球', '快球', 'PTZ'], fisheye: ['鱼眼', '全景', 'fisheye', 'panoramic'] },
    },
    ...POINT_FIELDS,
    { field: 'azimuth_deg', required: false, type: 'number', label: '方位角 azimuth (°)', column: 'azimuth_deg', synonyms: ['方位角', '朝向', '方向角', '安装朝向', '拍摄方向', '朝向角', 'azimuth', 'heading', 'bearing', 'direction'] },
    { field: 'hfov_deg', required: false, type: 'number', label: '视场角 field of view (°)', column: 'hfov_deg', synonyms: ['视场角', '水平视场角', '视角', '可视角度', 'fov', 'hfov'] },
    { field: 'range_m', required: false, type: 'number', label: '可视距离 range (m)', column: 'range_m', synonyms: ['可视距离', '监控距离', '视距', '照射距离', '有效距离', 'range', 'range_m', 'distance'] },
    { field: 'height_m', required: false, type: 'number', label: '安装高度 height (m)', column: 'height_m', synonyms: ['安装高度', '杆高', '立杆高度', '高度', 'height', 'height_m'] },
    {
      field: 'status', required: false, type: 'string', label: '状态 status', column: 'status',
      synonyms: ['设备状态', '在线状态', '运行状态', '状态', 'status', 'state'],
      values: { online: ['在线', '正常', '启用', 'on', '1'], offline: ['离线', '不在线', '停用', 'off', '0'], damaged: ['故障', '损坏', '报修', 'fault', 'broken'] },
    },
    { field: 'stream_url', required: false, type: 'string', label: '视频流地址 stream URL', column: 'stream_url', synonyms: ['视频流地址', '取流地址', '流地址', '播放地址', 'HLS地址', 'FLV地址', '直播地址', 'RTSP地址', 'rtsp', 'hls', 'flv', 'stream_url', 'url'] },
    { field: 'owner', required: false, type: 'string', label: '权属单位 owner', column: 'owner', synonyms: ['权属单位', '所属单位', '建设单位', '管理单位', '使用单位', 'owner'] },
    GRID_CODE,
    { field: 'installed_on', required: false, type: 'date', label: '安装日期 installed on', column: 'installed_on', synonyms: ['安装日期', '安装时间', '建设日期', '建设时间', '启用日期', 'installed_on', 'install_date'] },
    ADDRESS,
  ],
  oneOf: [POINT_POSITION],
};
