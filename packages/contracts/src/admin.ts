import { Type } from '@sinclair/typebox';
import { Email, Integer, IsoDateTime, Locale, RequiredText, Uuid } from './common.ts';

export const permissions = ['users:read', 'users:write', 'roles:write', 'audit:read', 'settings:write'] as const;

export const errorCodes = ['EMAIL_TAKEN', 'USER_TAKEN', 'INVITATION_ACCEPTED'] as const;

export const MembershipInput = Type.Object(
  { clinicId: Uuid, role: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);

export const AdminUser = Type.Object({
  id: Uuid,
  email: Type.String(),
  displayName: Type.String(),
  locale: Type.String(),
  active: Type.Boolean(),
  mfaEnrolled: Type.Boolean(),
  lockedUntil: Type.Union([IsoDateTime, Type.Null()]),
  invitationPending: Type.Boolean(),
  createdAt: IsoDateTime,
  memberships: Type.Array(Type.Object({ clinicId: Uuid, role: Type.String() })),
});

export const UsersQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    includePatients: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 100, default: 50 })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
  },
  { additionalProperties: false },
);
export const UsersPage = Type.Object({ data: Type.Array(AdminUser), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const InviteBody = Type.Object(
  {
    email: Email,
    displayName: RequiredText(200),
    locale: Type.Optional(Locale),
    memberships: Type.Array(MembershipInput, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    displayName: Type.Optional(RequiredText(200)),
    locale: Type.Optional(Locale),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const MembershipsBody = Type.Object(
  { memberships: Type.Array(MembershipInput, { maxItems: 50 }) },
  { additionalProperties: false },
);

export const RoleView = Type.Object({
  id: Type.String(),
  requireMfa: Type.Boolean(),
  isStaff: Type.Boolean(),
  permissions: Type.Array(Type.String()),
});
export const RolesView = Type.Object({ roles: Type.Array(RoleView), permissions: Type.Array(Type.String()) });
export const RoleParams = Type.Object({ id: Type.String({ pattern: '^[a-z_]{2,40}$' }) }, { additionalProperties: false });
export const RoleBody = Type.Object(
  { permissions: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 200, uniqueItems: true }), requireMfa: Type.Boolean() },
  { additionalProperties: false },
);

export const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ maxLength: 80, description: "exact action, or a prefix ending in '*' such as auth.*" })),
    actorUserId: Type.Optional(Uuid),
    patientId: Type.Optional(Uuid),
    /** a patient by MRN or name (words of the name, any order) */
    patient: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** a user by name or email */
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** token refreshes ("Session renewed", auth.refresh) are hidden unless shown or asked for by `action` */
    sessionRenewals: Type.Optional(Type.Union([Type.Literal('hide'), Type.Literal('show')], { default: 'hide' })),
    outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')])),
    from: Type.Optional(IsoDateTime),
    to: Type.Optional(IsoDateTime),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$' })),
  },
  { additionalProperties: false },
);
export const AuditRow = Type.Object({
  id: Type.Integer(),
  at: IsoDateTime,
  actorUserId: Type.Union([Uuid, Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  clinicId: Type.Union([Uuid, Type.Null()]),
  patientId: Type.Union([Uuid, Type.Null()]),
  /** the subject patient's name and MRN, for display */
  patientName: Type.Union([Type.String(), Type.Null()]),
  patientMrn: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  resourceType: Type.Union([Type.String(), Type.Null()]),
  resourceId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Unknown(),
});
export const AuditPage = Type.Object({ data: Type.Array(AuditRow), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export const VerifyView = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  headSeq: Type.Integer(),
  signedHeads: Type.Integer(),
  firstBad: Type.Optional(
    Type.Object({
      auditId: Type.Union([Type.Integer(), Type.Null()]),
      seq: Type.Union([Type.Integer(), Type.Null()]),
      reason: Type.String(),
    }),
  ),
});
