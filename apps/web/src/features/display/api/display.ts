import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../../lib/api/errors.ts';
import type { TicketEvent } from '../../../lib/realtime/events.ts';

// GET /api/display/board (apps/server/src/modules/queue/queue.schemas.ts): ticket codes, rooms and
// service-point names only; a display never receives patient data.
export interface DisplayBoard {
  clinic: { name: string; timezone: string; locale?: string | null };
  servicePoints: { id: string; name: string; room: string | null }[];
  called: TicketEvent[];
  waiting: Record<string, number>;
}

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
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText);
  }
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
