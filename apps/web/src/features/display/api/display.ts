import { useQuery } from '@tanstack/react-query';
import type { DisplayBoard } from '@sanita/contracts/queue';
import { ApiError } from '../../../lib/api/errors.ts';

// GET /api/display/board (DisplayBoard of @sanita/contracts/queue): ticket codes, rooms and
// service-point names only; a display never receives patient data.
export type { DisplayBoard } from '@sanita/contracts/queue';

export const displayKey = (token: string) => ['display', 'board', token] as const;

async function fetchBoard(token: string, signal: AbortSignal): Promise<DisplayBoard> {
  let res: Response;
  try {
    // Not through ApiClient: a display has no staff session, only its token.
    res = await fetch('/api/display/board', {
      headers: { Accept: 'application/json', 'X-Display-Token': token },
      credentials: 'omit',
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'The server could not be reached');
  }
  if (!res.ok) throw ApiError.fromBody(res.status, res.statusText, await res.json().catch(() => null));
  return (await res.json()) as DisplayBoard;
}

export function isRefusal(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 401 || err.status === 403);
}

export function useDisplayBoard(token: string | null) {
  return useQuery({
    queryKey: displayKey(token ?? ''),
    queryFn: ({ signal }) => fetchBoard(token ?? '', signal),
    enabled: !!token,
    // A refused token will not become valid by asking again; a network blip will pass.
    retry: (failures, err) => !isRefusal(err) && failures < 1000,
    retryDelay: (attempt) => Math.min(30_000, 1000 * 2 ** attempt),
    // Waiting counts drift with check-ins the display room does not hear about: poll gently too.
    refetchInterval: (query) => (query.state.error && isRefusal(query.state.error) ? false : 30_000),
    refetchOnWindowFocus: false,
  });
}
