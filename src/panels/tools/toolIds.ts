/** The map tools: each takes over clicks on the map while active. */
export type ToolId = 'measure-line' | 'measure-area' | 'select-polygon' | 'select-circle';
export const TOOL_IDS: readonly ToolId[] = ['measure-line', 'measure-area', 'select-polygon', 'select-circle'];
