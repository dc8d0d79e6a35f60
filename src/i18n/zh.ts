// The Chinese dictionary is the reference: its keys define what every other language must translate.
export const zh = {
  'app.title': '武昌“一张图”',
  'app.subtitle': '排水 · 网格 · 视频 · 感知 · 案件',
  'badge.synthetic': '合成数据 · Synthetic data',
  'badge.syntheticHint': '图上所有管网、案件、设备均为按固定种子生成的模拟数据，并非真实记录。',
  'server.unavailable': '服务器不可用，正在重试…',
  'lang.switch': 'EN',
  'lang.switchHint': 'Switch to English',
  'panel.layers': '图层',
  'panel.collapse': '收起图层面板',
  'panel.expand': '展开图层面板',
  'layer.basemap': '底图',
  'layer.grids': '单元网格',
  'layer.facilities': '水务设施',
  'layer.pipes': '排水管网',
  'layer.misconnections': '雨污混接点',
  'layer.hazards': '管网隐患',
  'layer.manholes': '检查井',
  'layer.sensors': '感知设备',
  'layer.cameras': '视频监控',
  'layer.cases': '城管案件',
  'legend.rain': '雨水',
  'legend.sewage': '污水',
  'legend.combined': '合流',
  'map.label': '武昌区地图',
} as const;

export type MessageKey = keyof typeof zh;
