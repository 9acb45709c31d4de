import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/lab';
import { actorOf, principalOf } from '../../platform/access.ts';
import type { LabCatalogueService } from './catalogue.service.ts';

const tags = ['lab'];

/** The test catalogue (search and read for the clinical staff; edits, prices and settings for administrators). */
export const catalogueRoutes: FastifyPluginAsyncTypebox<{ labCatalogue: LabCatalogueService }> = async (
  app,
  { labCatalogue },
) => {
  app.get(
    '/api/lab/tests',
    {
      schema: {
        tags,
        summary:
          "Search the test catalogue by code, LOINC code or name (English or French, typo-tolerant), with the active clinic's prices",
        querystring: S.CatalogueQuery,
        response: { 200: S.LabTestList, ...errors(400, 401, 403) },
      },
    },
    async (req) => labCatalogue.search(principalOf(req), req.query),
  );

  app.get(
    '/api/lab/tests/:testId',
    {
      schema: {
        tags,
        summary: "A test or panel, with its members, reference ranges and the active clinic's price",
        params: S.TestIdParams,
        response: { 200: S.LabTest, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => labCatalogue.get(principalOf(req), req.params.testId),
  );

  app.get(
    '/api/lab/tests/:testId/revisions',
    {
      schema: {
        tags,
        summary: "A catalogue entry's changes, oldest first, each field before and after (lab:manage)",
        params: S.TestIdParams,
        response: { 200: S.LabTestRevisionList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => labCatalogue.revisions(principalOf(req), req.params.testId),
  );

  app.post(
    '/api/lab/tests',
    {
      schema: {
        tags,
        summary:
          'Add a local test or panel (lab:manage). 400 LAB_UNIT_INVALID (unit not UCUM), 400 naming the field (members, answers, ranges), 409 CODE_TAKEN',
        body: S.CreateLabTestInput,
        response: { 201: S.LabTest, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await labCatalogue.create(principalOf(req), actorOf(req), req.body)),
  );

  app.patch(
    '/api/lab/tests/:testId',
    {
      schema: {
        tags,
        summary:
          'Edit a test or panel with the version read (kept in its history; a new release never overwrites it); active: false withdraws it. 409 STALE_VERSION, CODE_TAKEN',
        params: S.TestIdParams,
        body: S.UpdateLabTestInput,
        response: { 200: S.LabTest, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => labCatalogue.update(principalOf(req), actorOf(req), req.params.testId, req.body),
  );

  app.put(
    '/api/lab/tests/:testId/price',
    {
      schema: {
        tags,
        summary: "Set the active clinic's price of a test or panel, in the clinic's currency (null removes it; lab:manage)",
        params: S.TestIdParams,
        body: S.LabPriceInput,
        response: { 200: S.LabTest, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => labCatalogue.setPrice(principalOf(req), actorOf(req), req.params.testId, req.body),
  );

  app.get(
    '/api/lab/settings',
    {
      schema: {
        tags,
        summary: "The active clinic's lab settings (minutes a critical value waits for acknowledgement before escalation)",
        response: { 200: S.LabSettings, ...errors(401, 403) },
      },
    },
    async (req) => labCatalogue.settings(principalOf(req)),
  );

  app.put(
    '/api/lab/settings',
    {
      schema: {
        tags,
        summary: "Set the active clinic's lab settings (lab:manage)",
        body: S.LabSettings,
        response: { 200: S.LabSettings, ...errors(400, 401, 403) },
      },
    },
    async (req) => labCatalogue.putSettings(principalOf(req), actorOf(req), req.body),
  );
};
