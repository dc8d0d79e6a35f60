// Local midnight (UTC+8), the start of "today" on every wall. Written inline, not as a CTE: the planner then
// knows the value (now() is folded for estimates) and reads today's few cases by their time, not a unit's all.
export const TODAY = `(date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`;
