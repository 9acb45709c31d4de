import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { LabCatalogueService } from './catalogue.service.ts';

export const catalogueRoutes: FastifyPluginAsyncTypebox<{ labCatalogue: LabCatalogueService }> = async () => {};
