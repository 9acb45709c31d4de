import crypto from 'node:crypto';
import {
  FRONT_DESK_CATEGORIES,
  type DocumentCategory,
  type DocumentList,
  type DocumentListQuery,
  type DocumentPatch,
  type PatientDocument,
} from '@sanita/contracts/documents';
import type { Principal } from '../../platform/access.ts';
import { writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { denied, runAudited } from '../../platform/audit/audited.ts';
import type { Crypto } from '../../platform/crypto.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { Conflict, DomainError, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import { decidePatientAccess, patientRefusal, planPatientAccess, type PatientAccessRule } from '../../platform/patient-access.ts';
import type { TimelineSource } from '../../platform/timeline.ts';
import * as repo from './documents.repository.ts';
import { cleanFilename, DocumentFiles, open, seal, sha256Hex, sniff, UnreadableDocument } from './documents.storage.ts';

/** 413: the file is over the configured limit (nothing was written). */
export class FileTooLarge extends DomainError {
  readonly status = 413;
  constructor(maxBytes: number) {
    const message = `file: is larger than ${Math.floor(maxBytes / (1024 * 1024))} MB`;
    super('PAYLOAD_TOO_LARGE', message, [{ field: 'file', code: 'maxSize', params: { limit: maxBytes }, message }]);
  }
}

/** 415: the bytes are not a PDF, JPEG or PNG, whatever the file's name or declared type. */
export class UnsupportedFileType extends DomainError {
  readonly status = 415;
  constructor() {
    const message = 'file: is not a PDF, JPEG or PNG file';
    super('UNSUPPORTED_FILE_TYPE', message, [{ field: 'file', code: 'fileType', message }]);
  }
}

/** 500: the stored file does not decrypt (another master key, an altered file): never served garbled. */
export class DocumentUnreadable extends DomainError {
  readonly status = 500;
  constructor() {
    super('DOCUMENT_UNREADABLE', 'This document cannot be read: its stored copy does not decrypt');
  }
}

/** What a route hands over of a multipart upload. */
export interface Upload {
  filename: string | undefined;
  bytes: Buffer;
  title?: string;
  category?: DocumentCategory;
  sharedWithPatient?: boolean;
}

type Scope = { rule: PatientAccessRule; categories: readonly DocumentCategory[] | null };

const READ: PatientAccessRule = { permission: 'documents:read' };
const WRITE: PatientAccessRule = { permission: 'documents:write' };
const FRONT_DESK: PatientAccessRule = { permission: 'documents:front_desk' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DEFAULT_PAGE = 50;

/**
 * Who reads what: `documents:read` every category; else `documents:front_desk` the administrative
 * ones (identity, referral letters, consents); else nothing (the plan answers 403).
 */
function readScope(p: Principal): Scope {
  if (p.permissions.has('documents:read')) return { rule: READ, categories: null };
  if (p.permissions.has('documents:front_desk')) return { rule: FRONT_DESK, categories: FRONT_DESK_CATEGORIES };
  return { rule: READ, categories: null };
}
function writeScope(p: Principal): Scope {
  if (p.permissions.has('documents:write')) return { rule: WRITE, categories: null };
  if (p.permissions.has('documents:front_desk')) return { rule: FRONT_DESK, categories: FRONT_DESK_CATEGORIES };
  return { rule: WRITE, categories: null };
}

/** The title a document gets when none is typed: the file's name without its extension. */
const defaultTitle = (filename: string) => filename.replace(/\.[A-Za-z0-9]{1,5}$/, '').slice(0, 200) || 'Document';

export class DocumentsService {
  readonly files: DocumentFiles;

  constructor(
    private readonly db: Db,
    private readonly keys: Crypto,
    dir: string,
    readonly maxBytes: number,
  ) {
    this.files = new DocumentFiles(dir);
  }

  // ------------------------------------------------------------------ access

  private async patient(tx: Tx, p: Principal, patientId: string, rule: PatientAccessRule, action: string) {
    const plan = planPatientAccess(p, patientId, rule);
    const found = await repo.patientFor(tx, patientId, p.clinicId);
    let verdict = decidePatientAccess(plan, found);
    if (verdict === 'ok' && found!.status === 'merged') verdict = 'hidden';
    if (verdict !== 'ok') throw patientRefusal(verdict, patientId, !!found, action);
  }

  /** A document the principal may see (staff): 403 without a permission, 404 when out of reach or unknown. */
  private async document(tx: Tx, p: Principal, id: string, scope: Scope, action: string, lock = false) {
    if (p.patientId || !p.permissions.has(scope.rule.permission)) throw denied(new Forbidden(), action, { type: 'document', id });
    const doc = await repo.findDocument(tx, id, lock);
    if (!doc) throw denied(new NotFound('Document not found'), action, { type: 'document', id });
    await this.patient(tx, p, doc.patientId, scope.rule, action);
    if (scope.categories && !scope.categories.includes(doc.category as DocumentCategory))
      throw denied(new NotFound('Document not found'), action, { type: 'document', id }, doc.patientId);
    return doc;
  }

  /** A document of the portal user's own that the portal shows them (theirs, or shared with them). */
  private async ownDocument(tx: Tx, p: Principal, id: string, action: string) {
    if (!p.patientId || !p.permissions.has('portal:self')) throw denied(new Forbidden(), action, { type: 'document', id });
    const doc = await repo.findDocument(tx, id);
    const visible =
      doc && doc.patientId === p.patientId && doc.status === 'current' && (doc.source === 'portal' || doc.sharedWithPatient);
    if (!visible) throw denied(new NotFound('Document not found'), action, { type: 'document', id });
    return doc;
  }

  // ------------------------------------------------------------------ upload

  /** Checks, encrypts and stores a file, then its row and audit in one transaction; nothing is left of a refusal. */
  private async store(
    p: Principal,
    actor: AuditActor,
    patientId: string,
    upload: Upload,
    opts: { source: 'staff' | 'portal'; clinicId: (tx: Tx) => Promise<string>; check: (tx: Tx) => Promise<void> },
  ): Promise<PatientDocument> {
    const id = crypto.randomUUID();
    const storageKey = DocumentFiles.keyFor(id);
    let written = false;
    try {
      const row = await runAudited(this.db, actor, async (tx) => {
        await opts.check(tx);
        if (upload.bytes.length === 0) throw new Invalid([{ field: 'file', code: 'required', message: 'is empty' }]);
        if (upload.bytes.length > this.maxBytes) throw new FileTooLarge(this.maxBytes);
        const contentType = sniff(upload.bytes);
        if (!contentType) throw new UnsupportedFileType();
        const filename = cleanFilename(upload.filename);
        const sealed = seal(this.keys, id, upload.bytes);
        await this.files.write(storageKey, sealed.ciphertext);
        written = true;
        const stored = await repo.insertDocument(
          tx,
          {
            id,
            patientId,
            clinicId: await opts.clinicId(tx),
            category: upload.category ?? (opts.source === 'portal' ? 'patient_provided' : 'other'),
            title: upload.title ?? defaultTitle(filename),
            filename,
            contentType,
            sizeBytes: upload.bytes.length,
            sha256: sha256Hex(upload.bytes),
            uploadedBy: p.userId,
            source: opts.source,
            sharedWithPatient: upload.sharedWithPatient ?? false,
            storageKey,
            wrappedKey: sealed.wrappedKey,
            iv: sealed.iv,
            authTag: sealed.authTag,
          },
          p.displayName,
        );
        await writeAudit(tx, actor, {
          action: 'document.upload',
          patientId,
          resourceType: 'document',
          resourceId: id,
          details: { category: stored.category, contentType, sizeBytes: stored.sizeBytes, source: opts.source },
        });
        return stored;
      });
      return toDocument(row);
    } catch (err) {
      if (written) await this.files.remove(storageKey);
      throw err;
    }
  }

  /** Staff upload at the active clinic: documents:write any category, documents:front_desk the administrative ones. */
  upload(p: Principal, actor: AuditActor, patientId: string, upload: Upload): Promise<PatientDocument> {
    const scope = writeScope(p);
    return this.store(p, actor, patientId, upload, {
      source: 'staff',
      clinicId: async () => p.clinicId!,
      check: async (tx) => {
        await this.patient(tx, p, patientId, scope.rule, 'document.upload');
        const category = upload.category ?? 'other';
        if (scope.categories && !scope.categories.includes(category))
          throw denied(
            new Forbidden(`The front desk files ${scope.categories.join(', ')} only`),
            'document.upload',
            { type: 'patient', id: patientId },
            patientId,
          );
      },
    });
  }

  /** The portal user adds a document to their own record ('patient_provided', at their primary clinic). */
  portalUpload(
    p: Principal,
    actor: AuditActor,
    upload: Omit<Upload, 'category' | 'sharedWithPatient'>,
  ): Promise<PatientDocument> {
    const patientId = p.patientId ?? '';
    return this.store(
      p,
      actor,
      patientId,
      { ...upload, category: 'patient_provided' },
      {
        source: 'portal',
        clinicId: async (tx) => repo.primaryClinicOf(tx, patientId),
        check: async () => {
          if (!p.patientId || !p.permissions.has('portal:self'))
            throw denied(new Forbidden(), 'document.upload', { type: 'patient', id: p.userId });
        },
      },
    );
  }

  // ------------------------------------------------------------------ lists and metadata

  private checkCursor(cursor: string | undefined) {
    if (cursor !== undefined && !UUID.test(cursor))
      throw new Invalid([{ field: 'querystring.cursor', code: 'invalid', message: 'is not a cursor of this list' }]);
  }

  private async page(
    tx: Tx,
    actor: AuditActor,
    patientId: string,
    q: DocumentListQuery,
    categories: Scope['categories'],
    portal: boolean,
  ) {
    const limit = q.limit ?? DEFAULT_PAGE;
    const rows = await repo.listDocuments(tx, patientId, { limit: limit + 1, afterId: q.cursor ?? null, categories, portal });
    const page = rows.slice(0, limit);
    await writeAudit(tx, actor, {
      action: 'document.list',
      patientId,
      resourceType: 'patient',
      resourceId: patientId,
      details: { ids: page.map((r) => r.id) },
    });
    return { data: page.map(toDocument), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  /** A patient's documents, newest first (the front desk sees its categories only); audited with the ids shown. */
  list(p: Principal, actor: AuditActor, patientId: string, q: DocumentListQuery): Promise<DocumentList> {
    this.checkCursor(q.cursor);
    const scope = readScope(p);
    return runAudited(this.db, actor, async (tx) => {
      await this.patient(tx, p, patientId, scope.rule, 'document.list');
      return this.page(tx, actor, patientId, q, scope.categories, false);
    });
  }

  /** The portal user's documents: what they sent and what staff shared with them. */
  portalList(p: Principal, actor: AuditActor, q: DocumentListQuery): Promise<DocumentList> {
    this.checkCursor(q.cursor);
    return runAudited(this.db, actor, async (tx) => {
      if (!p.patientId || !p.permissions.has('portal:self'))
        throw denied(new Forbidden(), 'document.list', { type: 'patient', id: p.userId });
      return this.page(tx, actor, p.patientId, q, null, true);
    });
  }

  /** One document's description (not its content); audited. */
  get(p: Principal, actor: AuditActor, id: string): Promise<PatientDocument> {
    return runAudited(this.db, actor, async (tx) => {
      const doc = await this.document(tx, p, id, readScope(p), 'document.view');
      await writeAudit(tx, actor, {
        action: 'document.view',
        patientId: doc.patientId,
        resourceType: 'document',
        resourceId: id,
      });
      return toDocument(doc);
    });
  }

  // ------------------------------------------------------------------ content

  /** Decrypts a document's file; an unreadable one is an error, never garbled bytes. */
  private async plaintext(doc: repo.DocumentRow): Promise<Buffer> {
    let plain: Buffer;
    try {
      plain = open(this.keys, doc.id, doc, await this.files.read(doc.storageKey));
    } catch (err) {
      if (err instanceof UnreadableDocument || (err as NodeJS.ErrnoException).code === 'ENOENT') throw new DocumentUnreadable();
      throw err;
    }
    if (sha256Hex(plain) !== doc.sha256) throw new DocumentUnreadable();
    return plain;
  }

  /**
   * The decrypted content of a document, audited `document.read` (a preview) or `document.download`
   * in the transaction that read it: the audit row commits only if the bytes are there to send.
   */
  content(p: Principal, actor: AuditActor, id: string, download: boolean): Promise<{ doc: PatientDocument; bytes: Buffer }> {
    const action = download ? 'document.download' : 'document.read';
    return runAudited(this.db, actor, async (tx) => {
      const doc = await this.document(tx, p, id, readScope(p), action);
      const bytes = await this.plaintext(doc);
      await writeAudit(tx, actor, { action, patientId: doc.patientId, resourceType: 'document', resourceId: id });
      return { doc: toDocument(doc), bytes };
    });
  }

  portalContent(
    p: Principal,
    actor: AuditActor,
    id: string,
    download: boolean,
  ): Promise<{ doc: PatientDocument; bytes: Buffer }> {
    const action = download ? 'document.download' : 'document.read';
    return runAudited(this.db, actor, async (tx) => {
      const doc = await this.ownDocument(tx, p, id, action);
      const bytes = await this.plaintext(doc);
      await writeAudit(tx, actor, { action, patientId: doc.patientId, resourceType: 'document', resourceId: id });
      return { doc: toDocument(doc), bytes };
    });
  }

  // ------------------------------------------------------------------ changes

  /** Renames, recategorises, shares, or marks entered in error (kept, frozen afterwards). */
  update(p: Principal, actor: AuditActor, id: string, patch: DocumentPatch): Promise<PatientDocument> {
    return runAudited(this.db, actor, async (tx) => {
      const action = patch.status ? 'document.entered_in_error' : 'document.update';
      const doc = await this.document(tx, p, id, { rule: WRITE, categories: null }, action, true);
      if (doc.status === 'entered_in_error')
        throw new Conflict('This document was marked entered in error and can no longer change', 'DOCUMENT_ENTERED_IN_ERROR');
      if (patch.reason !== undefined && !patch.status)
        throw new Invalid([{ field: 'reason', code: 'invalid', message: 'goes with status entered_in_error' }]);
      const set: Partial<repo.NewDocumentRow> = {};
      if (patch.title !== undefined) set.title = patch.title;
      if (patch.category !== undefined) set.category = patch.category;
      if (patch.sharedWithPatient !== undefined) set.sharedWithPatient = patch.sharedWithPatient;
      if (patch.status) {
        set.status = 'entered_in_error';
        set.statusReason = patch.reason ?? null;
        set.statusChangedBy = p.userId;
        set.statusChangedAt = new Date();
      }
      await repo.updateDocument(tx, id, set);
      await writeAudit(tx, actor, {
        action,
        patientId: doc.patientId,
        resourceType: 'document',
        resourceId: id,
        details: { fields: Object.keys(patch).filter((k) => k !== 'reason') },
      });
      return toDocument({ ...doc, ...set });
    });
  }

  // ------------------------------------------------------------------ the demo's files, merges

  /**
   * Writes the demo documents' files, whose ciphertext the seed left in their rows (it runs before
   * any server, without a documents directory), and clears it. Idempotent; several nodes may race.
   */
  async writePendingFiles(): Promise<number> {
    let written = 0;
    for (;;) {
      const rows = await repo.pendingDocuments(this.db, 20);
      if (!rows.length) return written;
      for (const r of rows) {
        await this.files.write(r.storageKey, r.ciphertext!);
        await repo.clearPending(this.db, r.id);
        written++;
      }
    }
  }

  /** The patients module runs this when it merges a duplicate into a survivor. */
  mergePatients = (tx: Tx, fromId: string, toId: string): Promise<void> => repo.moveDocuments(tx, fromId, toId);

  /** Documents on the patient's timeline: title, category, type (never the content: the preview reads it, audited). */
  readonly timeline: TimelineSource = { kind: 'document', permission: 'documents:read', list: repo.timelineOf };
}

export function toDocument(r: repo.DocumentRow): PatientDocument {
  return {
    id: r.id,
    patientId: r.patientId,
    clinicId: r.clinicId,
    category: r.category as PatientDocument['category'],
    title: r.title,
    filename: r.filename,
    contentType: r.contentType as PatientDocument['contentType'],
    sizeBytes: r.sizeBytes,
    sha256: r.sha256,
    uploadedBy: { id: r.uploadedBy, name: r.uploadedByName },
    uploadedAt: r.uploadedAt.toISOString(),
    source: r.source as PatientDocument['source'],
    sharedWithPatient: r.sharedWithPatient,
    status: r.status as PatientDocument['status'],
    statusReason: r.statusReason,
  };
}
