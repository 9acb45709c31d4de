import { useEffect, useRef, useState } from 'react';
import { io } from 'socket.io-client';
import type { RealtimeEvents } from './events.ts';
import type { ConnectionState } from './RealtimeProvider.tsx';

interface DisplayHandlers {
  onCalled: (payload: RealtimeEvents['queue.ticket.called']) => void;
  onChanged: (payload: RealtimeEvents['queue.ticket.changed']) => void;
  /** The token was refused (revoked or unknown). */
  onRefused: () => void;
  /** Reconnected after a gap the server could not replay: refetch the board. */
  onResync: () => void;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * The waiting-room display's own connection: it authenticates with the display token, not a staff
 * session, and joins only its clinic's display room (ticket codes and rooms, never patient data).
 */
export function useDisplaySocket(displayToken: string | null, handlers: DisplayHandlers): ConnectionState {
  const [state, setState] = useState<ConnectionState>('connecting');
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    if (!displayToken) return undefined;
    let stopped = false;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let everConnected = false;
    const socket = io({ path: '/socket.io', auth: { displayToken } });

    // Refused handshakes and server-side disconnects are not retried by Socket.IO: a TV left on all
    // day must come back by itself after a server restart.
    const retry = () => {
      setState('reconnecting');
      clearTimeout(timer);
      failures += 1;
      timer = setTimeout(
        () => {
          if (!stopped && !socket.connected) socket.connect();
        },
        Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures, 5)),
      );
    };

    socket.on('connect', () => {
      failures = 0;
      setState('live');
      if (everConnected && !socket.recovered) latest.current.onResync();
      everConnected = true;
    });
    socket.on('connect_error', (err) => {
      if (stopped) return;
      if (err.message === 'UNAUTHORIZED') latest.current.onRefused();
      if (socket.active) setState('reconnecting');
      else retry();
    });
    socket.on('disconnect', (reason) => {
      if (stopped || reason === 'io client disconnect') return;
      if (reason === 'io server disconnect') retry();
      else setState('reconnecting');
    });
    socket.on('queue.ticket.called', (payload: RealtimeEvents['queue.ticket.called']) => latest.current.onCalled(payload));
    socket.on('queue.ticket.changed', (payload: RealtimeEvents['queue.ticket.changed']) => latest.current.onChanged(payload));

    return () => {
      stopped = true;
      clearTimeout(timer);
      socket.disconnect();
    };
  }, [displayToken]);

  return state;
}
