// Contracts of logging in and out, who am I, accounts and the audit log (server/routes/auth.ts).
import { Type, type Static } from 'typebox';
import { BigId, Nullable, StringEnum, Timestamp, WithDefault } from './common.ts';

/** field: 监督员 (inspector: reports, verifies, checks); handler: a department's 处置人员 (handles its dispatched cases). */
export const ROLES = ['commander', 'planner', 'field', 'handler', 'dispatcher', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const Grids = Type.Array(Type.String({ pattern: '^[0-9]{9}([0-9]{3}){0,2}$', description: 'Unit grid (15 digits), community (12) or street (9) codes' }), { maxItems: 2000 });
const Username = Type.String({ maxLength: 40 });
const DisplayName = Type.String({ maxLength: 80 });
const Password = Type.String({ maxLength: 200 });
const DepartmentCode = Type.String({ pattern: '^[A-Z][A-Z0-9-]{1,39}$', description: 'A department (GET /api/departments); a handler needs one' });

/** An account as the API shows it; grids bound a field worker's cases. */
export const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  display_name: Type.String(),
  role: StringEnum(ROLES),
  grids: Type.Array(Type.String()),
  department_code: Nullable(Type.String({ description: 'A handler\'s department (GET /api/departments)' })),
});
export type User = Static<typeof User>;

export const LoginBody = Type.Object({ username: Username, password: Password }, { additionalProperties: false });
export type LoginBody = Static<typeof LoginBody>;

export const LoginAnswer = Type.Object({
  user: User,
  token: Type.String({ description: 'For Authorization: Bearer (the cookie carries the same session)' }),
  expires_at: Timestamp(),
});
export type LoginAnswer = Static<typeof LoginAnswer>;

export const LogoutAnswer = Type.Object({ ok: Type.Boolean() });
export type LogoutAnswer = Static<typeof LogoutAnswer>;

export const Me = Type.Object({ user: User });
export type Me = Static<typeof Me>;

/** An account in the admin's list. */
export const UserRow = Type.Object({ ...User.properties, active: Type.Boolean(), created_at: Timestamp() });
export type UserRow = Static<typeof UserRow>;

export const UserList = Type.Object({ items: Type.Array(UserRow) });
export type UserList = Static<typeof UserList>;

export const NewUserBody = Type.Object({
  username: Username,
  display_name: Type.Optional(DisplayName),
  password: Password,
  role: StringEnum(ROLES),
  grids: Type.Optional(Grids),
  department_code: Type.Optional(DepartmentCode),
}, { additionalProperties: false });
export type NewUserBody = Static<typeof NewUserBody>;

export const UserIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export const UserPatch = Type.Object({
  display_name: Type.Optional(DisplayName),
  role: Type.Optional(StringEnum(ROLES)),
  grids: Type.Optional(Grids),
  department_code: Type.Optional(Nullable(DepartmentCode)),
  active: Type.Optional(Type.Boolean()),
  password: Type.Optional(Password),
}, { additionalProperties: false, minProperties: 1 });
export type UserPatch = Static<typeof UserPatch>;

export const AuditQuery = Type.Object({
  entity: Type.Optional(Type.String({ maxLength: 40 })),
  entity_id: Type.Optional(Type.String({ maxLength: 40 })),
  actor: Type.Optional(Type.String({ maxLength: 80 })),
  limit: WithDefault(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  before_id: Type.Optional(BigId),
}, { additionalProperties: false });
export type AuditQuery = Static<typeof AuditQuery>;

/** One audit record; before and after are the rows as written (any JSON). Ids are bigints: strings in the JSON. */
export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Timestamp(),
  user_id: Nullable(Type.Integer()),
  actor: Type.String(),
  role: Type.String(),
  action: Type.String(),
  entity: Type.String(),
  entity_id: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
  ip: Nullable(Type.String()),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditPage = Type.Object({
  items: Type.Array(AuditEntry),
  next_before_id: Nullable(Type.String({ description: 'Pass as before_id for the next (older) page; null on the last' })),
});
export type AuditPage = Static<typeof AuditPage>;
