import { Type, type Static } from '@sinclair/typebox';
import { Email, IsoDate, IsoDateTime, Locale, RequiredText, Uuid, Phone } from './common.ts';

export const errorCodes = [
  'INVALID_CREDENTIALS',
  'INVALID_TOKEN',
  'INVALID_MFA_CODE',
  'MFA_REQUIRED',
  'MFA_REQUIRED_BY_POLICY',
  'MFA_ENROLLMENT_REQUIRED',
  'MFA_NOT_STARTED',
  'MFA_NOT_ENABLED',
  'MFA_ALREADY_ENABLED',
  'EMAIL_NOT_VERIFIED',
  'SESSION_ENDED',
  'CSRF_FAILED',
] as const;

const Password = Type.String({ minLength: 1, maxLength: 128 });

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Password,
    totp: Type.Optional(Type.String({ pattern: '^[0-9 ]{6,7}$' })),
    recoveryCode: Type.Optional(Type.String({ minLength: 6, maxLength: 20 })),
  },
  { additionalProperties: false },
);

export const MembershipView = Type.Object({
  clinicId: Uuid,
  role: Type.String(),
  requireMfa: Type.Boolean(),
  permissions: Type.Array(Type.String()),
});

export const MeView = Type.Object({
  id: Uuid,
  email: Type.String(),
  displayName: Type.String(),
  locale: Type.String(),
  patientId: Type.Union([Uuid, Type.Null()]),
  mfaEnrolled: Type.Boolean(),
  mfaEnrollmentRequired: Type.Boolean(),
  clinicId: Type.Union([Uuid, Type.Null()]),
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
  memberships: Type.Array(MembershipView),
  clinics: Type.Array(
    Type.Object({
      id: Uuid,
      code: Type.String(),
      name: Type.String(),
      timezone: Type.String(),
      currencies: Type.Array(Type.String()),
    }),
  ),
});

export const TokenResponse = Type.Object({
  accessToken: Type.String(),
  expiresIn: Type.Integer(),
  user: MeView,
});

export const SessionView = Type.Object({
  id: Uuid,
  createdAt: IsoDateTime,
  lastSeenAt: IsoDateTime,
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean(),
});

export const ChangePasswordBody = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);
export const ForgotBody = Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }) }, { additionalProperties: false });
export const ResetBody = Type.Object(
  { token: Type.String({ minLength: 10, maxLength: 200 }), password: Password },
  { additionalProperties: false },
);
export const TokenBody = Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) }, { additionalProperties: false });
export const TotpCodeBody = Type.Object({ code: Type.String({ pattern: '^[0-9 ]{6,7}$' }) }, { additionalProperties: false });
export const DisableTotpBody = Type.Object(
  { password: Password, code: Type.String({ pattern: '^[0-9 ]{6,7}$' }) },
  { additionalProperties: false },
);
export const TotpSetup = Type.Object({ secret: Type.String(), otpauthUrl: Type.String(), qrDataUrl: Type.String() });
export const SessionList = Type.Object({ data: Type.Array(SessionView) });
export const RevokedSessions = Type.Object({ revoked: Type.Integer() });
export const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String()) });
export const TwoFactorStatus = Type.Object({
  enabled: Type.Boolean(),
  recoveryCodesLeft: Type.Integer(),
  required: Type.Boolean(),
});

export type MeView = Static<typeof MeView>;
export type TokenResponse = Static<typeof TokenResponse>;
export type SessionView = Static<typeof SessionView>;

export const RegisterBody = Type.Object(
  {
    email: Email,
    password: Password,
    givenName: RequiredText(100),
    familyName: RequiredText(100),
    birthDate: IsoDate,
    sex: Type.Union([Type.Literal('female'), Type.Literal('male'), Type.Literal('other'), Type.Literal('unknown')]),
    phone: Type.Optional(Phone),
    clinicId: Uuid,
    locale: Type.Optional(Locale),
  },
  { additionalProperties: false },
);
export const AcceptInvitationBody = Type.Object(
  { token: Type.String({ minLength: 10, maxLength: 200 }), password: Password },
  { additionalProperties: false },
);
