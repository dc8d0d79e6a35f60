// Named places of Wuchang used by the synthetic generator: the 14 streets (real names, anchor points that
// seed a Voronoi partition of the real outline), lakes, drainage plants and stations. Positions are WGS84
// approximations; everything derived from them is labelled synthetic.

export interface StreetAnchor { name: string; lon: number; lat: number }
export const STREETS: StreetAnchor[] = [
  { name: '积玉桥街道', lon: 114.302, lat: 30.567 },
  { name: '杨园街道', lon: 114.327, lat: 30.602 },
  { name: '徐家棚街道', lon: 114.331, lat: 30.585 },
  { name: '粮道街道', lon: 114.309, lat: 30.549 },
  { name: '中华路街道', lon: 114.294, lat: 30.556 },
  { name: '黄鹤楼街道', lon: 114.298, lat: 30.542 },
  { name: '紫阳街道', lon: 114.303, lat: 30.529 },
  { name: '首义路街道', lon: 114.316, lat: 30.538 },
  { name: '中南路街道', lon: 114.331, lat: 30.543 },
  { name: '水果湖街道', lon: 114.352, lat: 30.558 },
  { name: '珞珈山街道', lon: 114.366, lat: 30.541 },
  { name: '石洞街道', lon: 114.289, lat: 30.522 },
  { name: '南湖街道', lon: 114.322, lat: 30.514 },
  { name: '白沙洲街道', lon: 114.236, lat: 30.477 },
];

/** Streets of the old town, drained by combined sewers (合流制) as old Chinese city cores are. */
export const COMBINED_STREETS = ['积玉桥街道', '粮道街道', '中华路街道', '黄鹤楼街道'];

export interface Lake { name: string; lon: number; lat: number; rx: number; ry: number; rot: number }
export const LAKES: Lake[] = [
  { name: '沙湖', lon: 114.343, lat: 30.574, rx: 1150, ry: 600, rot: 20 },
  { name: '东湖', lon: 114.398, lat: 30.566, rx: 2600, ry: 1500, rot: 10 },
  { name: '南湖', lon: 114.333, lat: 30.498, rx: 1700, ry: 650, rot: -5 },
  { name: '紫阳湖', lon: 114.302, lat: 30.534, rx: 260, ry: 180, rot: 30 },
  { name: '晒湖', lon: 114.323, lat: 30.533, rx: 220, ry: 150, rot: -20 },
  { name: '水果湖', lon: 114.357, lat: 30.553, rx: 380, ry: 200, rot: 40 },
];

/** Sanitary sewers drain to treatment plants; storm sewers to outfalls and pumping stations on the water. */
export const WWTPS = [
  { name: '二郎庙污水处理厂', lon: 114.322, lat: 30.606 },
  { name: '沙湖污水处理厂', lon: 114.336, lat: 30.583 },
  { name: '白沙洲污水处理厂', lon: 114.252, lat: 30.488 },
];

export const PUMP_STATION_NAMES = [
  '罗家路泵站', '新河泵站', '武丰闸泵站', '解放桥泵站', '八铺街泵站', '白沙洲泵站', '巡司河泵站',
  '沙湖港泵站', '东湖港泵站', '紫阳湖泵站', '晒湖泵站', '南湖连通泵站', '余家头泵站', '徐家棚泵站',
];

export const MAIN_ROAD_NAMES = [
  '中山路', '武珞路', '中北路', '和平大道', '友谊大道', '徐东大街', '中南路', '民主路', '解放路', '临江大道',
  '八一路', '珞瑜路', '武昌路', '彭刘杨路', '首义路', '张之洞路', '白沙洲大道', '雄楚大道', '丁字桥路',
  '姚家岭路', '小龟山路', '公正路', '秦园路', '沙湖大道', '团结大道', '楚河汉街', '紫阳路', '复兴路',
];

export const COMMUNITY_WORDS = [
  '临江', '滨江', '大成', '复兴', '中山', '首义', '紫阳', '彭刘杨', '昙华林', '胭脂', '候补', '粮道', '读书院',
  '司门口', '武车', '和平', '徐东', '团结', '东亭', '楚河', '东湖', '珞珈', '南湖', '白沙', '烽火', '石洞',
  '新河', '积玉', '杨园', '沙湖', '晒湖', '水果湖', '中南', '丁字桥', '宝通', '长湖', '梅苑', '桂园',
  '黄鹤', '蛇山', '解放', '民主', '武昌', '秦园', '螃蟹岬', '柴林', '八铺', '紫沙', '巡司', '文昌',
];
export const COMMUNITY_SUFFIXES = ['社区', '新村社区', '花园社区', '里社区', '路社区', '湖畔社区', '苑社区'];
