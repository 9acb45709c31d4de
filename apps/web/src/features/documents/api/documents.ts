import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as D from '@sanita/contracts/documents';
import type { ApiClient } from '../../../lib/api/client.ts';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';
import { useCursorQuery } from '../../../lib/api/useCursorQuery.ts';
import { fetchBlob, rawRequest, saveBlob } from '../../../lib/api/files.ts';

export type { DocumentCategory, PatientDocument } from '@sanita/contracts/documents';

const routes = {
  list: endpoint('GET', '/api/patients/:patientId/documents', { query: D.DocumentListQuery, response: D.DocumentList }),
  get: endpoint('GET', '/api/documents/:id', { response: D.PatientDocument }),
  update: endpoint('PATCH', '/api/documents/:id', { body: D.DocumentPatch, response: D.PatientDocument }),
  portalList: endpoint('GET', '/api/portal/documents', { query: D.DocumentListQuery, response: D.DocumentList }),
};

export const documentKeys = {
  all: ['documents'] as const,
  patient: (patientId: string) => ['documents', 'patient', patientId] as const,
  portal: ['documents', 'portal'] as const,
};

export const DOCUMENTS_PAGE_SIZE = 20;

/** A patient's documents, newest first (the front desk receives only its categories). */
export function usePatientDocuments(patientId: string, limit = DOCUMENTS_PAGE_SIZE) {
  const api = useApi();
  return useCursorQuery([...documentKeys.patient(patientId), limit], (cursor, signal) =>
    api.call(routes.list, { params: { patientId }, query: { limit, cursor }, signal }),
  );
}

/** One document's description (not its content), e.g. to preview a document the timeline links to; none without an id. */
export function useDocument(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: [...documentKeys.all, 'one', id],
    queryFn: ({ signal }) => api.call(routes.get, { params: { id: id! }, signal }),
    enabled: id !== null,
  });
}

/** The portal user's documents: what they sent and what their care team shared with them. */
export function usePortalDocuments() {
  const api = useApi();
  return useQuery({
    queryKey: documentKeys.portal,
    queryFn: ({ signal }) => api.call(routes.portalList, { query: { limit: 200 }, signal }),
  });
}

export function useUpdateDocument(patientId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: BodyOf<typeof routes.update> }) =>
      api.call(routes.update, { params: { id }, body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: documentKeys.patient(patientId) }),
  });
}

// ------------------------------------------------------------------ files: multipart up, blobs down

export interface UploadInput {
  file: File;
  title?: string;
  category?: D.DocumentCategory;
  sharedWithPatient?: boolean;
}

function formOf(input: UploadInput): FormData {
  const form = new FormData();
  if (input.title?.trim()) form.append('title', input.title.trim());
  if (input.category) form.append('category', input.category);
  if (input.sharedWithPatient !== undefined) form.append('sharedWithPatient', String(input.sharedWithPatient));
  form.append('file', input.file, input.file.name);
  return form;
}

export function useUploadDocument(patientId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: UploadInput): Promise<D.PatientDocument> =>
      (await rawRequest(api, 'POST', `/api/patients/${encodeURIComponent(patientId)}/documents`, formOf(input))).json(),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: documentKeys.patient(patientId) }),
  });
}

export function usePortalUpload() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { file: File; title?: string }): Promise<D.PatientDocument> =>
      (await rawRequest(api, 'POST', '/api/portal/documents', formOf(input))).json(),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: documentKeys.portal }),
  });
}

/** The content URL of a document, staff or portal. */
export const contentUrl = (id: string, portal: boolean, download = false) =>
  `${portal ? '/api/portal/documents' : '/api/documents'}/${encodeURIComponent(id)}/content${download ? '?download=true' : ''}`;

/**
 * A document's content as a Blob of its sniffed type (each read is audited by the server: a preview
 * as document.read, a download as document.download). The browser shows it from an object URL, since
 * the API authenticates with a header that an <iframe> or <img> cannot send.
 */
export function fetchContent(api: ApiClient, doc: D.PatientDocument, portal: boolean, download: boolean): Promise<Blob> {
  return fetchBlob(api, contentUrl(doc.id, portal, download), doc.contentType);
}

/** Downloads a document under its own name. */
export async function downloadDocument(api: ApiClient, doc: D.PatientDocument, portal: boolean): Promise<void> {
  saveBlob(await fetchContent(api, doc, portal, true), doc.filename);
}
