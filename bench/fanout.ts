import { io, type Socket } from 'socket.io-client';
import type { HttpClient } from './http.ts';
import type { Sessions } from './sessions.ts';
import { percentile, round } from './stats.ts';

/** Time between the starts of two walk-ins. */
const ROUND_MS = 1000;

export interface FanoutResult {
  sockets: number;
  rounds: number;
  /** deliveries measured: sockets × rounds, less the missed ones */
  deliveries: number;
  missed: number;
  /** API calls that did not answer 201 */
  failedCalls: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  connectMs: number;
  errorSamples: string[];
}

/**
 * Live-event fan-out: `sockets` staff sockets of Kinshasa listen while a front-desk user checks
 * patients in (a walk-in creates a queue ticket, whose event goes to the clinic's room). Latency
 * is from just before the API call to each socket's receipt of the event it caused. Rounds are
 * sequential so that every event is matched to its call.
 */
export async function runFanout(o: {
  url: URL;
  http: HttpClient;
  sessions: Sessions;
  sockets: number;
  rounds: number;
  servicePointId: string;
  patientIds: () => string;
  /** stop early when this returns true (e.g. the paced phase ended) */
  until?: () => boolean;
}): Promise<FanoutResult> {
  const t0 = performance.now();
  const sockets: Socket[] = [];
  const samples: number[] = [];
  const errorSamples: string[] = [];
  let current: { start: number; got: Set<number>; done: () => void } | null = null;
  try {
    await Promise.all(
      Array.from({ length: o.sockets }, (_, i) => {
        const token = o.sessions.token();
        const s = io(o.url.origin, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
        sockets.push(s);
        s.on('queue.ticket.changed', () => {
          const c = current;
          if (!c || c.got.has(i)) return;
          c.got.add(i);
          samples.push(performance.now() - c.start);
          if (c.got.size === o.sockets) c.done();
        });
        return new Promise<void>((resolve, reject) => {
          s.once('connect', () => resolve());
          s.once('connect_error', (e) => reject(new Error(`socket ${i} refused: ${e.message}`)));
        });
      }),
    );
    const connectMs = performance.now() - t0;
    let missed = 0;
    let failedCalls = 0;
    let rounds = 0;
    for (let r = 0; r < o.rounds && !o.until?.(); r++) {
      rounds++;
      const got = new Set<number>();
      let done!: () => void;
      const all = new Promise<void>((resolve) => (done = resolve));
      const start = performance.now();
      current = { start, got, done };
      const res = await o.http.send(
        {
          method: 'POST',
          path: '/api/visits/walk-in',
          body: { patientId: o.patientIds(), servicePointId: o.servicePointId, priority: 'normal' },
        },
        o.sessions.token(),
      );
      if (res.status !== 201) {
        failedCalls++;
        if (errorSamples.length < 3) errorSamples.push(`${res.status} ${res.body.slice(0, 200)}`);
        current = null;
        continue;
      }
      await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 3000))]);
      missed += o.sockets - got.size;
      current = null;
      // one walk-in a second: a busy clinic's whole front desk, not a stress test of the event rate
      await new Promise((resolve) => setTimeout(resolve, Math.max(200, start + ROUND_MS - performance.now())));
    }
    const sorted = samples.sort((a, b) => a - b);
    return {
      sockets: o.sockets,
      rounds,
      deliveries: sorted.length,
      missed,
      failedCalls,
      p50Ms: round(percentile(sorted, 50)),
      p95Ms: round(percentile(sorted, 95)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted[sorted.length - 1] ?? 0),
      connectMs: round(connectMs),
      errorSamples,
    };
  } finally {
    for (const s of sockets) s.disconnect();
  }
}
