import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ClinicsService } from './clinics.service.ts';
import { ClinicList } from '@sanita/contracts/clinics';

export const clinicsRoutes: FastifyPluginAsyncTypebox<{ clinics: ClinicsService }> = async (app, { clinics }) => {
  app.get(
    '/api/clinics',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['clinics'],
        summary: 'The sites of the organisation',
        response: { 200: ClinicList },
      },
    },
    async () => ({ data: await clinics.list() }),
  );
};
