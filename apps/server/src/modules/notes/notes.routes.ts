import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, principalOf, requirePermission } from '../../platform/access.ts';
import { errors, IdParams, Ok } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/notes';
import type { NotesService } from './notes.service.ts';

export const notesRoutes: FastifyPluginAsyncTypebox<{ notes: NotesService }> = async (app, { notes }) => {
  // the service checks notes:read / notes:write and the patient's clinic itself, so that a refusal is audited
  app.get(
    '/api/encounters/:id/note',
    {
      schema: {
        tags: ['notes'],
        summary: "The encounter's consultation note (null before its first save) and the template a new one starts from",
        params: S.EncounterIdParams,
        response: { 200: S.EncounterNote, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => notes.get(principalOf(req), actorOf(req), req.params.id),
  );

  app.put(
    '/api/encounters/:id/note',
    {
      schema: {
        tags: ['notes'],
        summary:
          'Autosave the draft at the version read (0: the first save); 409 STALE_VERSION with details.current when another tab saved first, 409 NOTE_SIGNED once signed',
        params: S.EncounterIdParams,
        body: S.NoteInput,
        response: { 200: S.Note, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => notes.save(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/encounters/:id/note/sign',
    {
      schema: {
        tags: ['notes'],
        summary: 'Sign the note at the version read: it needs a primary diagnosis; the database refuses any change afterwards',
        params: S.EncounterIdParams,
        body: S.SignInput,
        response: { 200: S.Note, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => notes.sign(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/encounters/:id/note/addenda',
    {
      schema: {
        tags: ['notes'],
        summary: 'Add an addendum to the signed note (409 NOTE_NOT_SIGNED for a draft)',
        params: S.EncounterIdParams,
        body: S.AddendumInput,
        response: { 201: S.Addendum, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await notes.addendum(principalOf(req), actorOf(req), req.params.id, req.body)),
  );

  app.get(
    '/api/encounters/:id/note/history',
    {
      schema: {
        tags: ['notes'],
        summary: "The note's history, oldest first: drafts as they stood, the signed text, each addendum",
        params: S.EncounterIdParams,
        response: { 200: S.NoteHistory, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => notes.history(principalOf(req), actorOf(req), req.params.id),
  );

  app.get(
    '/api/patients/:patientId/notes',
    {
      schema: {
        tags: ['notes'],
        summary: "A patient's consultation notes, newest encounter first, paged",
        params: S.PatientIdParams,
        querystring: S.NoteListQuery,
        response: { 200: S.NoteList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => notes.listForPatient(principalOf(req), actorOf(req), req.params.patientId, req.query),
  );

  const manage = requirePermission('notes:shortcuts');

  app.get(
    '/api/note-shortcuts',
    {
      preHandler: requirePermission('notes:write', 'notes:shortcuts'),
      schema: {
        tags: ['notes'],
        summary: "The organisation's text shortcuts (.ros → its text)",
        response: { 200: S.ShortcutList, ...errors(401, 403) },
      },
    },
    async () => notes.shortcuts(),
  );

  app.post(
    '/api/note-shortcuts',
    {
      preHandler: manage,
      schema: {
        tags: ['notes'],
        summary: 'Add a text shortcut; 409 SHORTCUT_TAKEN when the name is used',
        body: S.ShortcutInput,
        response: { 201: S.Shortcut, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await notes.createShortcut(principalOf(req), actorOf(req), req.body)),
  );

  app.put(
    '/api/note-shortcuts/:id',
    {
      preHandler: manage,
      schema: {
        tags: ['notes'],
        summary: 'Change a text shortcut; 409 SHORTCUT_TAKEN when the name is used',
        params: IdParams,
        body: S.ShortcutInput,
        response: { 200: S.Shortcut, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => notes.updateShortcut(principalOf(req), actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/note-shortcuts/:id',
    {
      preHandler: manage,
      schema: {
        tags: ['notes'],
        summary: 'Delete a text shortcut',
        params: IdParams,
        response: { 200: Ok, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      await notes.deleteShortcut(actorOf(req), req.params.id);
      return { ok: true };
    },
  );
};
