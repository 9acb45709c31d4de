import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requirePermission } from '../../platform/access.ts';
import { errors } from '@sanita/contracts/common';
import * as S from '@sanita/contracts/terminology';
import type { TerminologyService } from './terminology.service.ts';

/**
 * The code sets are not patient data (no audit), but they serve the chart: staff who may read
 * charts (`chart:read`) search them.
 */
export const terminologyRoutes: FastifyPluginAsyncTypebox<{ terminology: TerminologyService }> = async (app, { terminology }) => {
  const chartReaders = requirePermission('chart:read');

  app.get(
    '/api/terminology/icd10',
    {
      preHandler: chartReaders,
      schema: {
        tags: ['terminology'],
        summary: 'Search ICD-10-CM (FY2026) by code prefix or by words in any order; English descriptions',
        querystring: S.Icd10Query,
        response: { 200: S.Icd10List, ...errors(400, 401, 403) },
      },
    },
    async (req) => ({
      data: await terminology.searchIcd10(req.query.q, { limit: req.query.limit, billableOnly: req.query.billableOnly }),
    }),
  );

  app.get(
    '/api/terminology/cvx',
    {
      preHandler: chartReaders,
      schema: {
        tags: ['terminology'],
        summary: 'Search CDC CVX vaccine codes by code or words; without q, the active vaccines',
        querystring: S.CvxQuery,
        response: { 200: S.CvxList, ...errors(400, 401, 403) },
      },
    },
    async (req) => ({ data: await terminology.searchCvx(req.query.q, { limit: req.query.limit }) }),
  );
};
