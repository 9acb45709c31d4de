import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, principalOf } from '../../platform/access.ts';
import { errors, IdParams } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/documents';
import type { DocumentsHttp } from '../documents/documents-http.service.ts';
import type { DocumentsService } from '../documents/documents.service.ts';

export interface PortalDocumentRoutesOptions {
  documents: DocumentsService;
  documentsHttp: DocumentsHttp;
}

/**
 * My documents, in the portal: what I sent and what my care team shared with me; I add documents
 * to my own record only (category patient_provided, filed at my primary clinic).
 */
export const portalDocumentRoutes: FastifyPluginAsyncTypebox<PortalDocumentRoutesOptions> = async (
  app,
  { documents, documentsHttp },
) => {
  await app.register(multipart, { limits: { fileSize: documentsHttp.maxBytes, files: 1 } });

  app.post(
    '/api/portal/documents',
    {
      schema: {
        tags: ['portal'],
        summary: 'Send a document to my record (multipart/form-data: `file`, optional `title`)',
        description: 'A PDF, JPEG or PNG by its content (415 otherwise), at most DOCUMENT_MAX_BYTES (413). Stored encrypted.',
        response: { 201: S.PatientDocument, ...errors(400, 401, 403, 413), 415: errors(400)[400]! },
      },
    },
    async (req, reply) => {
      const upload = await documentsHttp.read(req, S.PortalUploadFields);
      return reply.status(201).send(await documents.portalUpload(principalOf(req), actorOf(req), upload));
    },
  );

  app.get(
    '/api/portal/documents',
    {
      schema: {
        tags: ['portal'],
        summary: 'My documents: those I sent and those shared with me, newest first',
        querystring: S.DocumentListQuery,
        response: { 200: S.DocumentList, ...errors(400, 401, 403) },
      },
    },
    async (req) => documents.portalList(principalOf(req), actorOf(req), req.query),
  );

  app.get(
    '/api/portal/documents/:id/content',
    {
      schema: {
        tags: ['portal'],
        summary: 'The content of one of my documents: inline, or an attachment with download=true',
        params: IdParams,
        querystring: S.ContentQuery,
        response: errors(400, 401, 403, 404),
      },
    },
    async (req, reply) => {
      const download = req.query.download ?? false;
      const { doc, bytes } = await documents.portalContent(principalOf(req), actorOf(req), req.params.id, download);
      return documentsHttp.send(reply, doc, bytes, download);
    },
  );
};
