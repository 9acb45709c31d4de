import type { TimelineQuery } from '@sanita/contracts/timeline';
import * as T from '@sanita/contracts/timeline';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint } from '../../../lib/api/endpoint.ts';
import { useCursorQuery } from '../../../lib/api/useCursorQuery.ts';

export type { TimelineItem } from '@sanita/contracts/timeline';

const routes = {
  page: endpoint('GET', '/api/patients/:patientId/timeline', { query: T.TimelineQuery, response: T.TimelinePage }),
};

export const TIMELINE_PAGE = 30;

/** The patient's timeline, newest first, paged by cursor; `kinds` and dates filter it (each page read is audited). */
export function useTimeline(patientId: string, filter: Pick<TimelineQuery, 'kinds' | 'from' | 'to'>) {
  const api = useApi();
  return useCursorQuery(['chart', patientId, 'timeline', filter], (cursor, signal) =>
    api.call(routes.page, { params: { patientId }, query: { ...filter, limit: TIMELINE_PAGE, cursor }, signal }),
  );
}
