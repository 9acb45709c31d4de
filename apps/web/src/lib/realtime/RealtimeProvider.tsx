import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { io, type Socket } from 'socket.io-client';
import { useApi } from '../api/ApiProvider.tsx';
import { useAuth } from '../auth/AuthProvider.tsx';
import {
  isRealtimeEventName,
  QUEUE_SUBSCRIBE,
  QUEUE_UNSUBSCRIBE,
  SESSION_EXPIRED,
  type RealtimeEventName,
  type RealtimeEvents,
  type SubscribeAck,
} from './events.ts';
import { INVALIDATED_BY } from './invalidation.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

type Handler = (payload: unknown) => void;

interface RealtimeContextValue {
  state: ConnectionState;
  on: (name: RealtimeEventName, handler: Handler) => () => void;
  /** Joins a service point's room for as long as someone holds it; the callback hears each ack. */
  joinServicePoint: (servicePointId: string, onAck: (ok: boolean) => void) => () => void;
}

const RealtimeContext = createContext<RealtimeContextValue | null>(null);

const MAX_BACKOFF_MS = 30_000;
const ALL_LIVE_KEYS: QueryKey[] = [
  ...new Map(Object.values(INVALIDATED_BY).flatMap((keys) => keys.map((k) => [JSON.stringify(k), k] as const))).values(),
];

/**
 * One Socket.IO connection per signed-in tab. The handshake reads the access token each time it
 * connects, so a reconnect after the server ends an expired socket presents the refreshed token.
 * Every domain event invalidates the queries it makes stale (see `INVALIDATED_BY`).
 */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const [state, setState] = useState<ConnectionState>('connecting');
  const socketRef = useRef<Socket | null>(null);
  const listeners = useRef(new Map<RealtimeEventName, Set<Handler>>());
  const rooms = useRef(new Map<string, Set<(ok: boolean) => void>>());
  const clinicId = me?.clinicId ?? null;
  const clinicRef = useRef(clinicId);
  clinicRef.current = clinicId;
  // Set when the server refused the clinic we asked for (membership removed): connect without one.
  const dropClinic = useRef(false);

  const subscribeRoom = useCallback((socket: Socket, servicePointId: string) => {
    socket.emit(QUEUE_SUBSCRIBE, { servicePointId }, (ack: SubscribeAck | undefined) => {
      for (const cb of rooms.current.get(servicePointId) ?? []) cb(ack?.ok === true);
    });
  }, []);

  useEffect(() => {
    let stopped = false;
    let failures = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let everConnected = false;

    const socket = io({
      path: '/socket.io',
      autoConnect: false,
      auth: (cb) => cb({ token: api.currentAccessToken ?? '', ...(dropClinic.current ? {} : { clinicId: clinicRef.current }) }),
    });
    socketRef.current = socket;

    // A refused handshake (middleware error) or a server-side disconnect is not retried by
    // Socket.IO itself: refresh the token when the refusal was about it, then try again with backoff.
    const retry = (refreshFirst: boolean) => {
      setState('reconnecting');
      clearTimeout(retryTimer);
      const delay = failures === 0 ? 0 : Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures, 5));
      failures += 1;
      retryTimer = setTimeout(() => {
        if (stopped) return;
        const refreshed = refreshFirst ? api.refresh().then(() => true) : Promise.resolve(true);
        refreshed
          .catch(() => api.signedIn)
          .then((ok) => {
            // A refresh that ended the session signs the user out; this provider unmounts with the layout.
            if (ok && !stopped && !socket.connected) socket.connect();
          })
          .catch(() => undefined);
      }, delay);
    };

    socket.on('connect', () => {
      failures = 0;
      setState('live');
      for (const servicePointId of rooms.current.keys()) subscribeRoom(socket, servicePointId);
      // Events sent while we were away are lost unless the server replayed them: refetch what is shown.
      if (everConnected && !socket.recovered) {
        for (const queryKey of ALL_LIVE_KEYS) void queryClient.invalidateQueries({ queryKey });
      }
      everConnected = true;
    });
    socket.on('connect_error', (err) => {
      if (stopped) return;
      if (err.message === 'CLINIC_FORBIDDEN') dropClinic.current = true;
      if (socket.active) setState('reconnecting');
      else retry(err.message === 'UNAUTHORIZED');
    });
    socket.on('disconnect', (reason) => {
      if (stopped || reason === 'io client disconnect') return;
      if (reason === 'io server disconnect') retry(true);
      else setState('reconnecting');
    });
    socket.on(SESSION_EXPIRED, () => {
      // The server closes this socket next; have a fresh token ready for the reconnect.
      api.refresh().catch(() => undefined);
    });
    socket.onAny((name: unknown, payload: unknown) => {
      if (!isRealtimeEventName(name)) return;
      for (const queryKey of INVALIDATED_BY[name] ?? []) void queryClient.invalidateQueries({ queryKey });
      for (const handler of listeners.current.get(name) ?? []) handler(payload);
    });

    const goOffline = () => setState('offline');
    const comeBack = () => {
      if (!socket.connected) retry(false);
    };
    window.addEventListener('offline', goOffline);
    window.addEventListener('online', comeBack);

    socket.connect();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', comeBack);
      socket.disconnect();
      socketRef.current = null;
    };
  }, [api, queryClient, subscribeRoom]);

  // Another clinic means other rooms: reconnect so the server computes them again.
  const previousClinic = useRef(clinicId);
  useEffect(() => {
    if (previousClinic.current === clinicId) return;
    previousClinic.current = clinicId;
    dropClinic.current = false;
    const socket = socketRef.current;
    if (!socket) return;
    socket.disconnect();
    setState('connecting');
    socket.connect();
  }, [clinicId]);

  const on = useCallback((name: RealtimeEventName, handler: Handler) => {
    const set = listeners.current.get(name) ?? new Set<Handler>();
    set.add(handler);
    listeners.current.set(name, set);
    return () => {
      set.delete(handler);
    };
  }, []);

  const joinServicePoint = useCallback(
    (servicePointId: string, onAck: (ok: boolean) => void) => {
      const holders = rooms.current.get(servicePointId) ?? new Set<(ok: boolean) => void>();
      const first = holders.size === 0;
      holders.add(onAck);
      rooms.current.set(servicePointId, holders);
      const socket = socketRef.current;
      if (first && socket?.connected) subscribeRoom(socket, servicePointId);
      return () => {
        holders.delete(onAck);
        if (holders.size > 0) return;
        rooms.current.delete(servicePointId);
        if (socketRef.current?.connected) socketRef.current.emit(QUEUE_UNSUBSCRIBE, { servicePointId });
      };
    },
    [subscribeRoom],
  );

  const value = useMemo(() => ({ state, on, joinServicePoint }), [state, on, joinServicePoint]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

function useRealtime(): RealtimeContextValue {
  const value = useContext(RealtimeContext);
  if (!value) throw new Error('Realtime hooks must be used inside <RealtimeProvider>');
  return value;
}

/** The live connection's state, for the header indicator and pages that say whether they are live. */
export function useConnectionState(): ConnectionState {
  return useRealtime().state;
}

/**
 * Calls `handler` for each event of this name. Cached queries are already invalidated by the
 * provider; use this for what invalidation cannot do (a toast, a sound, patching a cache).
 */
export function useRealtimeEvent<N extends RealtimeEventName>(name: N, handler: (payload: RealtimeEvents[N]) => void): void {
  const { on } = useRealtime();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => on(name, (payload) => latest.current(payload as RealtimeEvents[N])), [on, name]);
}

/**
 * Follows one service point's queue (the `sp:` room) while the calling component is mounted.
 * Returns null until the server answers, then whether it let us in.
 */
export function useServicePointRoom(servicePointId: string | null | undefined): boolean | null {
  const { joinServicePoint } = useRealtime();
  const [joined, setJoined] = useState<boolean | null>(null);
  useEffect(() => {
    setJoined(null);
    if (!servicePointId) return undefined;
    return joinServicePoint(servicePointId, setJoined);
  }, [joinServicePoint, servicePointId]);
  return joined;
}
