import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as C from '@sanita/contracts/notes';
import { Ok } from '@sanita/contracts/common';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';
import { useCursorQuery } from '../../../lib/api/useCursorQuery.ts';

export type {
  Addendum,
  Diagnosis,
  DiagnosisInput,
  EncounterNote,
  EyeExam,
  Note,
  NoteInput,
  NoteSections,
  NoteSummary,
  Revision,
  Shortcut,
  TemplateId,
} from '@sanita/contracts/notes';

const routes = {
  get: endpoint('GET', '/api/encounters/:id/note', { response: C.EncounterNote }),
  save: endpoint('PUT', '/api/encounters/:id/note', { body: C.NoteInput, response: C.Note }),
  sign: endpoint('POST', '/api/encounters/:id/note/sign', { body: C.SignInput, response: C.Note }),
  addendum: endpoint('POST', '/api/encounters/:id/note/addenda', { body: C.AddendumInput, response: C.Addendum }),
  history: endpoint('GET', '/api/encounters/:id/note/history', { response: C.NoteHistory }),
  list: endpoint('GET', '/api/patients/:patientId/notes', { query: C.NoteListQuery, response: C.NoteList }),
  shortcuts: endpoint('GET', '/api/note-shortcuts', { response: C.ShortcutList }),
  createShortcut: endpoint('POST', '/api/note-shortcuts', { body: C.ShortcutInput, response: C.Shortcut }),
  updateShortcut: endpoint('PUT', '/api/note-shortcuts/:id', { body: C.ShortcutInput, response: C.Shortcut }),
  deleteShortcut: endpoint('DELETE', '/api/note-shortcuts/:id', { response: Ok }),
};

export const notesKeys = {
  note: (encounterId: string) => ['notes', 'encounter', encounterId] as const,
  history: (encounterId: string) => ['notes', 'encounter', encounterId, 'history'] as const,
  patient: (patientId: string) => ['notes', 'patient', patientId] as const,
  shortcuts: ['notes', 'shortcuts'] as const,
};

/** The encounter's note (null before its first save), its encounter and the template a new note starts from. */
export function useEncounterNote(encounterId: string) {
  const api = useApi();
  return useQuery({
    queryKey: notesKeys.note(encounterId),
    queryFn: ({ signal }) => api.call(routes.get, { params: { id: encounterId }, signal }),
    // the editor owns the draft once loaded: a refetch on focus would not replace what is being typed
    refetchOnWindowFocus: false,
  });
}

/** Saves a draft (the caller handles 409s: the conflict dialog). */
export function useSaveNote(encounterId: string) {
  const api = useApi();
  return (body: BodyOf<typeof routes.save>) => api.call(routes.save, { params: { id: encounterId }, body });
}

export function useSignNote(encounterId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (version: number) => api.call(routes.sign, { params: { id: encounterId }, body: { version } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['notes'] }),
  });
}

export function useAddAddendum(encounterId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => api.call(routes.addendum, { params: { id: encounterId }, body: { text } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: notesKeys.note(encounterId) }),
  });
}

export function useNoteHistory(encounterId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: notesKeys.history(encounterId),
    queryFn: ({ signal }) => api.call(routes.history, { params: { id: encounterId }, signal }),
    enabled,
  });
}

/** A patient's notes, newest first, paged. */
export function usePatientNotes(patientId: string) {
  const api = useApi();
  return useCursorQuery(notesKeys.patient(patientId), (cursor, signal) =>
    api.call(routes.list, { params: { patientId }, query: { limit: 20, cursor }, signal }),
  );
}

/** The organisation's text shortcuts. */
export function useShortcuts(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: notesKeys.shortcuts,
    queryFn: ({ signal }) => api.call(routes.shortcuts, { signal }),
    enabled,
    staleTime: 5 * 60_000,
  });
}

export function useSaveShortcut() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: BodyOf<typeof routes.createShortcut> & { id?: string }) =>
      id ? api.call(routes.updateShortcut, { params: { id }, body }) : api.call(routes.createShortcut, { body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: notesKeys.shortcuts }),
  });
}

export function useDeleteShortcut() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.call(routes.deleteShortcut, { params: { id } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: notesKeys.shortcuts }),
  });
}
