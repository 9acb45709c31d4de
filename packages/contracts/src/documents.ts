// Patient documents: scanned letters, external lab reports, images, consents, identity papers and
// what the patient sends through the portal. Stored encrypted at rest (AES-256-GCM, a data key per
// file wrapped by a key derived from the master key); the API serves them decrypted.
import { Type, type Static } from '@sinclair/typebox';
import { Integer, OptionalText, RequiredText, Uuid } from './common.ts';

/**
 * - `documents:read`: list and open every document of a patient of the active clinic;
 * - `documents:write`: upload any category, rename, recategorise, share with the patient, mark entered in error;
 * - `documents:front_desk`: the front desk scans identity papers, referral letters and consents: upload,
 *   list and open those categories only (never a lab report, an image or what the patient sent).
 */
export const permissions = ['documents:read', 'documents:write', 'documents:front_desk'] as const;

export const errorCodes = ['UNSUPPORTED_FILE_TYPE', 'DOCUMENT_UNREADABLE', 'DOCUMENT_ENTERED_IN_ERROR'] as const;

export const DOCUMENT_CATEGORIES = [
  'referral_letter',
  'lab_report',
  'imaging',
  'consent',
  'identity',
  'patient_provided',
  'other',
] as const;
export type DocumentCategory = (typeof DOCUMENT_CATEGORIES)[number];

/** What the front desk may upload and open (documents:front_desk): administrative papers, nothing clinical. */
export const FRONT_DESK_CATEGORIES = ['referral_letter', 'consent', 'identity'] as const satisfies readonly DocumentCategory[];

/** The types accepted, as sniffed from the bytes (never from the name or the declared type). */
export const DOCUMENT_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentContentType = (typeof DOCUMENT_CONTENT_TYPES)[number];

export const DOCUMENT_STATUSES = ['current', 'entered_in_error'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
export const DOCUMENT_SOURCES = ['staff', 'portal'] as const;

/** Default largest file accepted (the server's DOCUMENT_MAX_BYTES may set another). */
export const DEFAULT_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Category = Type.Union(DOCUMENT_CATEGORIES.map((c) => Type.Literal(c)));

/**
 * The text fields of an upload (multipart/form-data, beside the one `file` part). The title
 * defaults to the file's name without its extension; the category to `other` (staff) or
 * `patient_provided` (portal, where it cannot be chosen).
 */
export const DocumentUploadFields = Type.Object(
  {
    title: Type.Optional(OptionalText(200)),
    category: Type.Optional(Category),
    /** staff only: the patient sees it in their portal */
    sharedWithPatient: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  },
  { additionalProperties: false },
);
export type DocumentUploadFields = Static<typeof DocumentUploadFields>;

export const PortalUploadFields = Type.Object({ title: Type.Optional(OptionalText(200)) }, { additionalProperties: false });

export const PatientDocument = Type.Object({
  id: Uuid,
  patientId: Uuid,
  clinicId: Uuid,
  category: Category,
  title: Type.String(),
  /** the name it was uploaded under, cleaned: for the download's file name only */
  filename: Type.String(),
  contentType: Type.Union(DOCUMENT_CONTENT_TYPES.map((c) => Type.Literal(c))),
  sizeBytes: Type.Integer(),
  /** SHA-256 of the plaintext, hex */
  sha256: Type.String(),
  uploadedBy: Type.Object({ id: Uuid, name: Type.String() }),
  uploadedAt: Type.String({ format: 'date-time' }),
  source: Type.Union(DOCUMENT_SOURCES.map((s) => Type.Literal(s))),
  sharedWithPatient: Type.Boolean(),
  status: Type.Union(DOCUMENT_STATUSES.map((s) => Type.Literal(s))),
  /** why it was marked entered in error */
  statusReason: Nullable(Type.String()),
});
export type PatientDocument = Static<typeof PatientDocument>;

export const DocumentList = Type.Object({ data: Type.Array(PatientDocument), nextCursor: Nullable(Type.String()) });
export type DocumentList = Static<typeof DocumentList>;

export const DocumentListQuery = Type.Object(
  {
    limit: Type.Optional(Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type DocumentListQuery = Static<typeof DocumentListQuery>;

/** What staff may change; a document marked entered in error is kept (never deleted) and frozen. */
export const DocumentPatch = Type.Object(
  {
    title: Type.Optional(RequiredText(200)),
    category: Type.Optional(Category),
    sharedWithPatient: Type.Optional(Type.Boolean()),
    status: Type.Optional(Type.Literal('entered_in_error')),
    /** why it is entered in error (with `status`) */
    reason: Type.Optional(OptionalText(500)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type DocumentPatch = Static<typeof DocumentPatch>;

export const ContentQuery = Type.Object(
  {
    /** true: `Content-Disposition: attachment` (a download); otherwise inline (a preview) */
    download: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ContentQuery = Static<typeof ContentQuery>;

export const PatientIdParams = Type.Object({ patientId: Uuid }, { additionalProperties: false });
