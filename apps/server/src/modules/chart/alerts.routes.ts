import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, principalOf, requirePermission } from '../../platform/access.ts';
import { errors } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/chart';
import type { News2AlertsService } from './alerts.service.ts';

export const alertsRoutes: FastifyPluginAsyncTypebox<{ news2Alerts: News2AlertsService }> = async (app, { news2Alerts }) => {
  app.get(
    '/api/news2-alerts',
    {
      preHandler: requirePermission('chart:read'),
      schema: {
        tags: ['chart'],
        summary: "The active clinic's NEWS2 alerts (open by default), newest first, with the patients' names; audited",
        querystring: S.News2AlertsQuery,
        response: { 200: S.News2AlertList, ...errors(400, 401, 403) },
      },
    },
    async (req) => news2Alerts.listClinic(principalOf(req), actorOf(req), req.query),
  );

  app.get(
    '/api/news2-alerts/settings',
    {
      preHandler: requirePermission('chart:read', 'settings:write'),
      schema: {
        tags: ['chart'],
        summary: "The active clinic's NEWS2 alert settings (minutes before an open alert escalates)",
        response: { 200: S.News2Settings, ...errors(401, 403, 404) },
      },
    },
    async (req) => news2Alerts.settings(principalOf(req)),
  );

  app.put(
    '/api/news2-alerts/settings',
    {
      preHandler: requirePermission('settings:write'),
      schema: {
        tags: ['chart'],
        summary: "Change the active clinic's NEWS2 alert settings (alerts raised from then on use them)",
        body: S.News2Settings,
        response: { 200: S.News2Settings, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => news2Alerts.saveSettings(principalOf(req), actorOf(req), req.body),
  );

  app.post(
    '/api/news2-alerts/:id/acknowledge',
    {
      // the service checks chart:write and the alert's clinic itself, so that a refusal is audited
      schema: {
        tags: ['chart'],
        summary:
          'Acknowledge an open NEWS2 alert of the active clinic (who and when are recorded); 409 ALERT_ALREADY_ACKNOWLEDGED',
        params: S.AlertIdParams,
        body: S.AcknowledgeAlertBody,
        response: { 200: S.News2Alert, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => news2Alerts.acknowledge(principalOf(req), actorOf(req), req.params.id, req.body ?? {}),
  );

  app.get(
    '/api/patients/:patientId/news2-alerts',
    {
      schema: {
        tags: ['chart'],
        summary: "A patient's NEWS2 alerts at the active clinic, newest first; audited",
        params: S.PatientIdParams,
        querystring: S.PatientAlertsQuery,
        response: { 200: S.News2AlertList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => news2Alerts.listPatient(principalOf(req), actorOf(req), req.params.patientId, req.query),
  );
};
