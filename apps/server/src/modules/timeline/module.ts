import { defineModule, routes } from '../../platform/module.ts';
import { timelineRoutes } from './timeline.routes.ts';
import { TimelineService } from './timeline.service.ts';

declare module '../../platform/module.ts' {
  interface ModuleServiceMap {
    timeline: { timeline: TimelineService };
  }
}

/**
 * A patient's timeline: the entries every module declares (`timeline` in its manifest) merged newest first.
 * It reads with the chart's permission and declares none of its own.
 */
export const timelineModule = defineModule({
  name: 'timeline',
  services: ({ db, timelineSources }) => ({ timeline: new TimelineService(db, timelineSources) }),
  routes: ({ timeline }) => [routes(timelineRoutes, { timeline })],
  matrix: new URL('./timeline.matrix.ts', import.meta.url),
});
