import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';

/** The OpenAPI schema of a PDF answer. */
export const PdfBody = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf' });

/** Sends a generated PDF to open in the browser, never cached (it holds patient data). */
export const sendPdf = (reply: FastifyReply, { pdf, filename }: { pdf: Buffer; filename: string }) =>
  reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `inline; filename="${filename}"`)
    .header('cache-control', 'private, no-store')
    .send(pdf);
