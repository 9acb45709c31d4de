import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, principalOf } from '../../platform/access.ts';
import { errors } from '@sanita/contracts/common';
import { VitalsList, VitalsQuery } from '@sanita/contracts/chart';
import * as S from '@sanita/contracts/portal';
import type { ChartService } from '../chart/chart.service.ts';
import type { HistoryService } from '../history/history.service.ts';
import type { ImmunizationsService } from '../immunizations/immunizations.service.ts';
import type { NotesService } from '../notes/notes.service.ts';

export interface PortalChartRoutesOptions {
  notes: NotesService;
  history: HistoryService;
  chart: ChartService;
  immunizations: ImmunizationsService;
}

/**
 * My chart, in the portal: my signed visits (the summary written for me and the diagnoses), my
 * problems, allergies, vitals and immunizations. Each owning service checks `portal:self`, scopes to
 * my own record and audits the read in its transaction.
 */
export const portalChartRoutes: FastifyPluginAsyncTypebox<PortalChartRoutesOptions> = async (
  app,
  { notes, history, chart, immunizations },
) => {
  app.get(
    '/api/portal/visits',
    {
      schema: {
        tags: ['portal'],
        summary: 'My visits whose note is signed, newest first: diagnoses and the summary written for me',
        querystring: S.PortalVisitQuery,
        response: { 200: S.PortalVisitList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => notes.portalVisits(principalOf(req), actorOf(req), req.query),
  );

  app.get(
    '/api/portal/visits/:encounterId',
    {
      schema: {
        tags: ['portal'],
        summary: 'One of my signed visits (404 while its note is a draft)',
        params: S.PortalVisitParams,
        response: { 200: S.PortalVisit, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => notes.portalVisit(principalOf(req), actorOf(req), req.params.encounterId),
  );

  app.get(
    '/api/portal/problems',
    {
      schema: {
        tags: ['portal'],
        summary: 'My problem list',
        response: { 200: S.PortalProblemList, ...errors(401, 403, 404) },
      },
    },
    async (req) => history.portalProblems(principalOf(req), actorOf(req)),
  );

  app.get(
    '/api/portal/allergies',
    {
      schema: {
        tags: ['portal'],
        summary: 'My allergies and intolerances, or "no known allergies", or not recorded yet',
        response: { 200: S.PortalAllergyList, ...errors(401, 403, 404) },
      },
    },
    async (req) => history.portalAllergies(principalOf(req), actorOf(req)),
  );

  app.get(
    '/api/portal/vitals',
    {
      schema: {
        tags: ['portal'],
        summary: 'My vitals, newest first (the latest set, and the series of my trends)',
        querystring: VitalsQuery,
        response: { 200: VitalsList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => chart.portalList(principalOf(req), actorOf(req), req.query),
  );

  app.get(
    '/api/portal/immunizations',
    {
      schema: {
        tags: ['portal'],
        summary: 'My immunizations, most recent first',
        response: { 200: S.PortalImmunizationList, ...errors(401, 403, 404) },
      },
    },
    async (req) => immunizations.portalList(principalOf(req), actorOf(req)),
  );
};
