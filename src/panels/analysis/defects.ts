// CJJ 181 defect codes a planner filters the ranking by, in the order of the standard's tables
// (structural 表 8.2.3, functional 表 8.3.3). Their names are in the dictionaries (`defect.PL`…).
export const STRUCTURAL_DEFECTS = ['PL', 'BX', 'FS', 'CK', 'QF', 'TJ', 'TL', 'AJ', 'CR', 'SL'] as const;
export const FUNCTIONAL_DEFECTS = ['CJ', 'JG', 'ZW', 'CQ', 'SG', 'FZ'] as const;

export const GRADES = [1, 2, 3, 4] as const;
