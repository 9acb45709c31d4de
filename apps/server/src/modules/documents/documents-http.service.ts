import type { TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DocumentCategory, PatientDocument } from '@sanita/contracts/documents';
import type { FieldIssue } from '@sanita/contracts/common';
import { DomainError, Invalid } from '../../platform/errors.ts';
import { FileTooLarge, type Upload } from './documents.service.ts';

/** 415: an upload that is not multipart/form-data. */
class NotMultipart extends DomainError {
  readonly status = 415;
  constructor() {
    const message = 'body: send the file as multipart/form-data';
    super('UNSUPPORTED_MEDIA_TYPE', message, [{ field: 'body', message }]);
  }
}

/**
 * The HTTP side of documents that the portal's routes share with the documents module's: reading a
 * multipart upload (one `file` part, a few text fields checked against the contract's schema) and
 * sending decrypted content with the headers that keep a browser from treating it as anything else.
 */
export class DocumentsHttp {
  constructor(readonly maxBytes: number) {}

  /**
   * The upload of a request, the file buffered (at most `maxBytes`: beyond, 413 and nothing
   * kept). Text fields are trimmed; a blank one is absent. 400 names an unknown or bad field.
   */
  async read(req: FastifyRequest, fieldsSchema: TObject): Promise<Upload> {
    if (!req.isMultipart()) throw new NotMultipart();
    const fields: Record<string, string> = {};
    let file: { filename: string; bytes: Buffer } | null = null;
    const issues: FieldIssue[] = [];
    try {
      const parts = req.parts({ limits: { fileSize: this.maxBytes, files: 1, fields: 10, fieldSize: 4096, parts: 12 } });
      for await (const part of parts) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file') {
            part.file.resume();
            issues.push({ field: part.fieldname, code: 'additionalProperties', message: 'is not an allowed field' });
            continue;
          }
          file = { filename: part.filename, bytes: await part.toBuffer() };
        } else {
          const value = typeof part.value === 'string' ? part.value.trim() : '';
          if (!(part.fieldname in fieldsSchema.properties))
            issues.push({ field: part.fieldname, code: 'additionalProperties', message: 'is not an allowed field' });
          else if (value) fields[part.fieldname] = value;
        }
      }
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') {
        await drain(req);
        throw new FileTooLarge(this.maxBytes);
      }
      if (code === 'FST_FILES_LIMIT') throw new Invalid([{ field: 'file', code: 'maxItems', message: 'send one file' }]);
      if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PROTO_VIOLATION')
        throw new Invalid([{ field: 'body', code: 'invalid', message: 'has too many parts' }]);
      if (err instanceof Error && !(err instanceof DomainError) && (err as { statusCode?: number }).statusCode !== 500)
        throw new Invalid([{ field: 'body', code: 'invalid', message: 'is not a readable multipart/form-data body' }]);
      throw err;
    }
    for (const e of Value.Errors(fieldsSchema, fields)) {
      const field = e.path.replace(/^\//, '') || 'body';
      if (!issues.some((i) => i.field === field)) issues.push({ field, code: 'invalid', message: e.message });
    }
    if (!file) issues.unshift({ field: 'file', code: 'required', message: 'is required' });
    if (issues.length) throw new Invalid(issues);
    return {
      filename: file!.filename,
      bytes: file!.bytes,
      title: fields.title,
      category: fields.category as DocumentCategory | undefined,
      sharedWithPatient: fields.sharedWithPatient === undefined ? undefined : fields.sharedWithPatient === 'true',
    };
  }

  /**
   * Sends decrypted bytes as what they were sniffed to be: inline for a preview, an attachment for a
   * download, never sniffed by the browser, under a policy that runs nothing, never cached.
   */
  send(reply: FastifyReply, doc: PatientDocument, bytes: Buffer, download: boolean): FastifyReply {
    const ascii = doc.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return reply
      .status(200)
      .header('content-type', doc.contentType)
      .header('content-length', bytes.length)
      .header(
        'content-disposition',
        `${download ? 'attachment' : 'inline'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.filename)}`,
      )
      .header('x-content-type-options', 'nosniff')
      .header(
        'content-security-policy',
        "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'; form-action 'none'; base-uri 'none'",
      )
      .header('cross-origin-resource-policy', 'same-origin')
      .header('cache-control', 'private, no-store')
      .send(bytes);
  }
}

/** Reads and drops what is left of a refused upload (≤ 10 s), so that the client reads the 413. */
function drain(req: FastifyRequest, maxMs = 10_000): Promise<void> {
  const raw = req.raw;
  if (raw.complete || raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      raw.off('end', done);
      raw.off('close', done);
      raw.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, maxMs);
    raw.on('end', done);
    raw.on('close', done);
    raw.on('error', done);
    raw.resume();
  });
}
