import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { LabAlertsService } from './alerts.service.ts';
import type { LabService } from './lab.service.ts';

export const labRoutes: FastifyPluginAsyncTypebox<{ lab: LabService; labAlerts: LabAlertsService }> = async () => {};
