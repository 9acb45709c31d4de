import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, principalOf } from '../../platform/access.ts';
import { errors, IdParams } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/documents';
import type { DocumentsHttp } from './documents-http.service.ts';
import type { DocumentsService } from './documents.service.ts';

export interface DocumentRoutesOptions {
  documents: DocumentsService;
  documentsHttp: DocumentsHttp;
}

/** The error answers of a route that takes a file: 413 over the limit, 415 for what is not PDF, JPEG or PNG. */
export const uploadErrors = { ...errors(400, 401, 403, 404, 413), 415: errors(400)[400]! };

export const documentRoutes: FastifyPluginAsyncTypebox<DocumentRoutesOptions> = async (app, { documents, documentsHttp }) => {
  // multipart only in this plugin's routes; the file size is limited per request (DocumentsHttp.read)
  await app.register(multipart, { limits: { fileSize: documentsHttp.maxBytes, files: 1 } });

  app.post(
    '/api/patients/:patientId/documents',
    {
      schema: {
        tags: ['documents'],
        summary:
          'Add a document to a patient (multipart/form-data: `file`, and optional `title`, `category`, `sharedWithPatient`)',
        description:
          'The file must be a PDF, JPEG or PNG by its content (415 otherwise) and at most DOCUMENT_MAX_BYTES (413). ' +
          'Stored encrypted. documents:write files any category; documents:front_desk identity, referral letters and consents.',
        params: S.PatientIdParams,
        response: { 201: S.PatientDocument, ...uploadErrors },
      },
    },
    async (req, reply) => {
      const upload = await documentsHttp.read(req, S.DocumentUploadFields);
      return reply.status(201).send(await documents.upload(principalOf(req), actorOf(req), req.params.patientId, upload));
    },
  );

  app.get(
    '/api/patients/:patientId/documents',
    {
      schema: {
        tags: ['documents'],
        summary: "A patient's documents, newest first",
        params: S.PatientIdParams,
        querystring: S.DocumentListQuery,
        response: { 200: S.DocumentList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => documents.list(principalOf(req), actorOf(req), req.params.patientId, req.query),
  );

  app.get(
    '/api/documents/:id',
    {
      schema: {
        tags: ['documents'],
        summary: "A document's description (not its content)",
        params: IdParams,
        response: { 200: S.PatientDocument, ...errors(401, 403, 404) },
      },
    },
    async (req) => documents.get(principalOf(req), actorOf(req), req.params.id),
  );

  app.get(
    '/api/documents/:id/content',
    {
      schema: {
        tags: ['documents'],
        summary: "A document's content, decrypted: inline (a preview), or an attachment with download=true",
        params: IdParams,
        querystring: S.ContentQuery,
        response: errors(400, 401, 403, 404),
      },
    },
    async (req, reply) => {
      const download = req.query.download ?? false;
      const { doc, bytes } = await documents.content(principalOf(req), actorOf(req), req.params.id, download);
      return documentsHttp.send(reply, doc, bytes, download);
    },
  );

  app.patch(
    '/api/documents/:id',
    {
      schema: {
        tags: ['documents'],
        summary: 'Rename, recategorise or share a document, or mark it entered in error (kept, never deleted)',
        params: IdParams,
        body: S.DocumentPatch,
        response: { 200: S.PatientDocument, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => documents.update(principalOf(req), actorOf(req), req.params.id, req.body),
  );
};
