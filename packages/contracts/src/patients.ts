import { Type, type Static } from '@sinclair/typebox';
import {
  Email,
  Integer,
  IsoDate,
  IsoDateTime,
  NullableText,
  OptionalText,
  RequiredText,
  StoredDate,
  Uuid,
  Version,
  Phone,
} from './common.ts';

export const permissions = ['patients:read', 'patients:write', 'patients:merge', 'patients:read_all_clinics'] as const;

export const errorCodes = ['DUPLICATE_SUSPECTED', 'PATIENT_MERGED'] as const;

const Name = RequiredText(100);
export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];
const Sex = Type.Union(SEXES.map((s) => Type.Literal(s)));
export const BLOOD_TYPES = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'] as const;
export type BloodType = (typeof BLOOD_TYPES)[number];
const BloodType = Type.Union(BLOOD_TYPES.map((b) => Type.Literal(b)));
const Address = Type.Object(
  {
    line: Type.Optional(OptionalText(200)),
    city: Type.Optional(OptionalText(100)),
    region: Type.Optional(OptionalText(100)),
    country: Type.Optional(Type.String({ maxLength: 2, minLength: 2, description: 'ISO 3166-1 alpha-2' })),
  },
  { additionalProperties: false },
);
const EmergencyContact = Type.Object(
  {
    name: RequiredText(200),
    relationship: Type.Optional(OptionalText(50)),
    phone: Type.Optional(Phone),
  },
  { additionalProperties: false },
);

const inputFields = {
  givenName: Name,
  middleName: Type.Optional(NullableText(100)),
  familyName: Name,
  sex: Sex,
  birthDate: IsoDate,
  phones: Type.Optional(Type.Array(Phone, { maxItems: 5 })),
  email: Type.Optional(Type.Union([Email, Type.Null()])),
  address: Type.Optional(Type.Union([Address, Type.Null()])),
  preferredLanguage: Type.Optional(Type.Union([Type.String({ pattern: '^[a-z]{2,3}$' }), Type.Null()])),
  nationalId: Type.Optional(Type.Union([Type.String({ minLength: 3, maxLength: 40 }), Type.Null()])),
  emergencyContacts: Type.Optional(Type.Array(EmergencyContact, { maxItems: 5 })),
  bloodType: Type.Optional(Type.Union([BloodType, Type.Null()])),
};

export const PatientInput = Type.Object(inputFields, { additionalProperties: false });
export type PatientInput = Static<typeof PatientInput>;

export const CreatePatientBody = Type.Object(
  { ...inputFields, allowDuplicate: Type.Optional(Type.Boolean({ description: 'register despite a suspected duplicate' })) },
  { additionalProperties: false },
);

export const UpdatePatientBody = Type.Object(
  {
    version: Version('the version you read; a stale one answers 409'),
    ...Type.Partial(Type.Object(inputFields)).properties,
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('deceased')])),
    deceasedAt: Type.Optional(Type.Union([IsoDate, Type.Null()])),
  },
  { additionalProperties: false },
);
export type UpdatePatientBody = Static<typeof UpdatePatientBody>;

export const PatientSummary = Type.Object({
  id: Uuid,
  mrn: Type.String(),
  givenName: Type.String(),
  middleName: Type.Union([Type.String(), Type.Null()]),
  familyName: Type.String(),
  sex: Sex,
  birthDate: IsoDate,
  phones: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('deceased'), Type.Literal('merged')]),
  primaryClinicId: Uuid,
});
export type PatientSummary = Static<typeof PatientSummary>;
export type PatientStatus = PatientSummary['status'];

export const Patient = Type.Object({
  ...PatientSummary.properties,
  email: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Address, Type.Null()]),
  preferredLanguage: Type.Union([Type.String(), Type.Null()]),
  nationalId: Type.Union([Type.String(), Type.Null()]),
  emergencyContacts: Type.Array(EmergencyContact),
  bloodType: Type.Union([Type.String(), Type.Null()]),
  mergedIntoId: Type.Union([Uuid, Type.Null()]),
  deceasedAt: Type.Union([StoredDate, Type.Null()]),
  version: Type.Integer(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Patient = Static<typeof Patient>;

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'free text: name, MRN, phone, birth date or national ID' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    mrn: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    phone: Type.Optional(Type.String({ minLength: 4, maxLength: 32 })),
    birthDate: Type.Optional(IsoDate),
    nationalId: Type.Optional(Type.String({ minLength: 3, maxLength: 40 })),
    allClinics: Type.Optional(Type.Boolean({ description: 'search every clinic (needs patients:read_all_clinics)' })),
    limit: Type.Optional(Integer({ minimum: 1, maximum: 100, default: 25 })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchResult = Type.Object({
  data: Type.Array(PatientSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const DuplicatesQuery = Type.Object(
  {
    givenName: Name,
    familyName: Name,
    birthDate: Type.Optional(IsoDate),
    phone: Type.Optional(Type.String({ maxLength: 32 })),
  },
  { additionalProperties: false },
);
export const DuplicateCandidates = Type.Object({
  data: Type.Array(Type.Object({ ...PatientSummary.properties, score: Type.Number() })),
});

export const MergeBody = Type.Object({ duplicateId: Uuid }, { additionalProperties: false });

export const AccessLogQuery = Type.Object(
  {
    limit: Type.Optional(Integer({ minimum: 1, maximum: 100, default: 50 })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$' })),
  },
  { additionalProperties: false },
);
export const AccessLog = Type.Object({
  data: Type.Array(
    Type.Object({
      id: Type.Integer(),
      at: IsoDateTime,
      actorName: Type.Union([Type.String(), Type.Null()]),
      actorRole: Type.Union([Type.String(), Type.Null()]),
      action: Type.String(),
      outcome: Type.String(),
    }),
  ),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type AccessLog = Static<typeof AccessLog>;
export type AccessLogEntry = AccessLog['data'][number];
