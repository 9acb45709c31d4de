import { useMemo } from 'react';
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';

/** What a cursor-paged list endpoint answers (its contract schema says `data`'s items). */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Cursor paging for list endpoints answering `{data, nextCursor}`. */
export function useCursorQuery<T>(
  queryKey: QueryKey,
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
  options: { enabled?: boolean } = {},
) {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: options.enabled,
  });
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.data) ?? [], [query.data]);
  return {
    rows,
    isLoading: query.isPending && query.fetchStatus !== 'idle',
    isIdle: query.isPending && query.fetchStatus === 'idle',
    error: query.error,
    refetch: () => void query.refetch(),
    hasMore: query.hasNextPage,
    loadingMore: query.isFetchingNextPage,
    loadMore: () => void query.fetchNextPage(),
  };
}
