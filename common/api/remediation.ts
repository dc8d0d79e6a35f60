// Contracts of the remediation routes (server/routes/remediation.ts): a hazard's or misconnection's status with
// its history and the steps the account may take, a step, and raising a case (立案) from it. The vocabulary is
// the domain's (server/domain/remediation.ts).
import { Type, type Static } from 'typebox';
import { ACTIONS, STATUSES } from '../../server/domain/remediation.ts';
import { CASE_STATUSES } from '../enums.ts';
import { BigId, IntId, Nullable, StringEnum, Timestamp } from './common.ts';

export const REMEDIATION_LAYERS = ['hazards', 'misconnections'] as const;
export type RemediationLayer = (typeof REMEDIATION_LAYERS)[number];

const Status = StringEnum(STATUSES);

export const RemediationParams = Type.Object({ id: IntId });
export const RemediationStepParams = Type.Object({ id: IntId, action: StringEnum(ACTIONS) });

export const RemediationStepBody = Type.Object({
  note: Type.Optional(Type.String({ maxLength: 2000, description: 'Why: needed by reject, restore and reopen' })),
}, { additionalProperties: false });

export const RaiseCaseBody = Type.Object({
  item_code: Type.Optional(Type.String({ pattern: '^E07[0-9]{2}$', description: 'One of case_items; default the first suggested' })),
  description: Type.Optional(Type.String({ maxLength: 2000, description: 'Default: what the item is and where' })),
}, { additionalProperties: false });

export const RemediationStep = Type.Object({
  action: Type.String(),
  from_status: Status,
  to_status: Status,
  actor: Type.String(),
  role: Type.String(),
  at: Timestamp(),
  note: Nullable(Type.String()),
  case_id: Nullable(Type.Integer()),
  case_no: Nullable(Type.String()),
});
export type RemediationStep = Static<typeof RemediationStep>;

export const LinkedCase = Type.Object({ id: BigId, case_no: Type.String(), status: StringEnum(CASE_STATUSES), item_code: Type.String() });
export type LinkedCase = Static<typeof LinkedCase>;

export const SuggestedItem = Type.Object({ code: Type.String(), name_zh: Type.String(), name_en: Type.String() });

export const Remediation = Type.Object({
  layer: StringEnum(REMEDIATION_LAYERS),
  id: Type.Integer(),
  status: Status,
  status_at: Nullable(Timestamp()),
  history: Type.Array(RemediationStep, { description: 'Oldest first' }),
  actions: Type.Array(StringEnum(ACTIONS), { description: 'The steps this account may take now' }),
  cases: Type.Array(LinkedCase, { description: 'Cases raised from it, newest first' }),
  can_raise_case: Type.Boolean({ description: 'This account may raise a case now (confirmed or in repair, no open case)' }),
  case_items: Type.Array(SuggestedItem, { description: 'Catalogue items that fit, the best first' }),
  description: Type.String({ description: 'The case description a raise would use by default' }),
});
export type Remediation = Static<typeof Remediation>;

export const RaisedCase = Type.Object({ case: LinkedCase, remediation: Remediation });
export type RaisedCase = Static<typeof RaisedCase>;
