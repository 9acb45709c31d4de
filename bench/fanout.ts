import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { io, type Socket } from 'socket.io-client';
import { HttpClient } from './http.ts';
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

export interface FanoutOptions {
  url: string;
  /** access tokens of staff sessions, used round-robin */
  tokens: string[];
  sockets: number;
  rounds: number;
  /** rounds that start within this time after `start` are run but not measured (the ramp) */
  rampMs: number;
  servicePointId: string;
  /** patients to check in, one per walk-in, in this order */
  patientIds: string[];
}

/**
 * Live-event fan-out: `sockets` staff sockets of Kinshasa listen while a front-desk user checks
 * patients in (a walk-in creates a queue ticket, whose event goes to the clinic's room). Latency
 * is from just before the API call to each socket's receipt of the event it caused. Rounds are
 * sequential so that every event is matched to its call. The sockets connect first (`connected`);
 * the walk-ins start once `start` resolves.
 */
async function runFanout(
  o: FanoutOptions & { connected: () => void; start: Promise<void>; until: () => boolean },
): Promise<FanoutResult> {
  const http = new HttpClient(new URL(o.url));
  let nextToken = 0;
  const token = () => o.tokens[nextToken++ % o.tokens.length]!;
  const t0 = performance.now();
  const sockets: Socket[] = [];
  const samples: number[] = [];
  const errorSamples: string[] = [];
  let current: { start: number; got: Set<number>; done: () => void; measured: boolean } | null = null;
  try {
    await Promise.all(
      Array.from({ length: o.sockets }, (_, i) => {
        const s = io(new URL(o.url).origin, {
          transports: ['websocket'],
          auth: { token: token() },
          reconnection: false,
          forceNew: true,
        });
        sockets.push(s);
        s.on('queue.ticket.changed', () => {
          const c = current;
          if (!c || c.got.has(i)) return;
          c.got.add(i);
          if (c.measured) samples.push(performance.now() - c.start);
          if (c.got.size === o.sockets) c.done();
        });
        return new Promise<void>((resolve, reject) => {
          s.once('connect', () => resolve());
          s.once('connect_error', (e) => reject(new Error(`socket ${i} refused: ${e.message}`)));
        });
      }),
    );
    const connectMs = performance.now() - t0;
    o.connected();
    await o.start;
    const measureFrom = performance.now() + o.rampMs;
    let missed = 0;
    let failedCalls = 0;
    let rounds = 0;
    for (let r = 0; r < o.rounds && !o.until(); r++) {
      const got = new Set<number>();
      let done!: () => void;
      const all = new Promise<void>((resolve) => (done = resolve));
      const start = performance.now();
      const measured = start >= measureFrom;
      current = { start, got, done, measured };
      const res = await http.send(
        {
          method: 'POST',
          path: '/api/visits/walk-in',
          body: { patientId: o.patientIds[r % o.patientIds.length], servicePointId: o.servicePointId, priority: 'normal' },
        },
        token(),
      );
      if (res.status !== 201) {
        failedCalls++;
        if (errorSamples.length < 3) errorSamples.push(`${res.status} ${res.body.slice(0, 200)}`);
        current = null;
        continue;
      }
      await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (measured) rounds++;
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
    http.close();
  }
}

type ToWorker = 'start' | 'stop';
type FromWorker = { type: 'connected' } | { type: 'done'; result: FanoutResult } | { type: 'failed'; message: string };

/**
 * Runs the fan-out in a worker thread: receiving an event on 500 sockets takes the load generator's
 * event loop for a while, which must not delay the paced load's requests and their timing.
 */
export function startFanout(o: FanoutOptions): {
  connected: Promise<void>;
  start(): void;
  stop(): void;
  result: Promise<FanoutResult>;
} {
  // a worker does not inherit tsx's loader: it registers it, then loads this file
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: o });
  let connected!: () => void;
  let fail!: (e: Error) => void;
  const isConnected = new Promise<void>((resolve, reject) => {
    connected = resolve;
    fail = reject;
  });
  const result = new Promise<FanoutResult>((resolve, reject) => {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'connected') connected();
      else if (m.type === 'done') resolve(m.result);
      else {
        fail(new Error(m.message));
        reject(new Error(m.message));
      }
    });
    worker.on('error', (e) => {
      fail(e);
      reject(e);
    });
  });
  result.finally(() => void worker.terminate()).catch(() => {});
  return {
    connected: isConnected,
    start: () => worker.postMessage('start' satisfies ToWorker),
    stop: () => worker.postMessage('stop' satisfies ToWorker),
    result,
  };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  let stopped = false;
  let start!: () => void;
  const started = new Promise<void>((resolve) => (start = resolve));
  port.on('message', (m: ToWorker) => {
    if (m === 'start') start();
    else {
      stopped = true;
      start();
    }
  });
  runFanout({
    ...(workerData as FanoutOptions),
    connected: () => port.postMessage({ type: 'connected' } satisfies FromWorker),
    start: started,
    until: () => stopped,
  })
    .then((result) => port.postMessage({ type: 'done', result } satisfies FromWorker))
    .catch((e: unknown) => port.postMessage({ type: 'failed', message: (e as Error).message } satisfies FromWorker));
}
