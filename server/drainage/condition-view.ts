// How a stored pipe_condition row is shown: advice and density codes become their 中文/English texts
// from the CJJ 181 tables (the database keeps codes only). Shared by the ranking and the identify panel.
import { DENSITY_CLASSES, MAINTENANCE_ADVICE, REPAIR_ADVICE, type DensityCode, type Grade, type MaintenanceAdviceCode, type RepairAdviceCode } from '../domain/cjj181/tables.ts';

const MAINTENANCE_BY_CODE = Object.fromEntries(Object.values(MAINTENANCE_ADVICE).map((a) => [a.code, a])) as Record<MaintenanceAdviceCode, (typeof MAINTENANCE_ADVICE)[Grade]>;

export interface StoredCondition {
  sadvice: string | null; sdensity: string | null; fadvice: string | null; fdensity: string | null;
  [k: string]: unknown;
}

export function conditionView<T extends StoredCondition>(c: T) {
  return {
    ...c,
    sadvice: c.sadvice ? REPAIR_ADVICE[c.sadvice as RepairAdviceCode] ?? null : null,
    sdensity: c.sdensity ? DENSITY_CLASSES[c.sdensity as DensityCode] ?? null : null,
    fadvice: c.fadvice ? MAINTENANCE_BY_CODE[c.fadvice as MaintenanceAdviceCode] ?? null : null,
    fdensity: c.fdensity ? DENSITY_CLASSES[c.fdensity as DensityCode] ?? null : null,
  };
}
