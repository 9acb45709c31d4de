import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { HttpClient } from './http.ts';
import { perform, type Scenario, type ScenarioContext } from './scenarios.ts';
import type { Sessions } from './sessions.ts';
import { CpuMeter, type CpuReport, percentile, round } from './stats.ts';

export interface ScenarioLatency {
  count: number;
  errors: number;
  /** answers with a status the scenario expects besides 2xx (e.g. 409 for a slot just taken) */
  expected: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  rps: number;
  /** a few failed responses, to tell what went wrong */
  errorSamples: string[];
}

export interface PacedResult {
  seconds: number;
  scenarios: Record<string, ScenarioLatency>;
  cpu: CpuReport;
  /** event-loop delay of the load generator: high values mean the client distorts latencies */
  clientLoopDelayP99Ms: number;
  totalRps: number;
  /** per second of the phase: actions (scenarios done once) that started in it, their p95 and max latency (stalls show here) */
  timeline: { s: number; n: number; p95Ms: number; maxMs: number; cpu?: CpuReport }[];
}

class Recorder {
  readonly ms: number[] = [];
  errors = 0;
  expected = 0;
  readonly samples: string[] = [];

  /** a failure during the ramp: an error all the same, without a latency */
  rampError(error: string) {
    this.errors++;
    if (this.samples.length < 3) this.samples.push(error);
  }

  add(ms: number, error: string | null, expected = false) {
    this.ms.push(ms);
    if (expected) this.expected++;
    if (error !== null) {
      this.errors++;
      if (this.samples.length < 3) this.samples.push(error);
    }
  }
}

export function weightedPicker(list: Scenario[], rand: () => number): () => Scenario {
  const total = list.reduce((s, x) => s + x.weight, 0);
  return () => {
    let r = rand() * total;
    for (const s of list) {
      r -= s.weight;
      if (r < 0) return s;
    }
    return list[list.length - 1]!;
  };
}

const LOOP_RESOLUTION_MS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `users` virtual users, each doing one action and then thinking 1–3 s (uniform). They arrive
 * spread over the first `rampSeconds` (a clinic's morning, not 700 clicks in the same second) and
 * latency is measured over the `seconds` that follow; a request that fails during the ramp still
 * counts as an error. One request per user is in flight at most; latency is measured on the client.
 */
export async function runPaced(o: {
  http: HttpClient;
  sessions: Sessions;
  scenarios: Scenario[];
  ctx: ScenarioContext;
  users: number;
  seconds: number;
  rampSeconds: number;
  serverPids: number[];
  onTick?: (elapsedS: number, done: number) => void;
}): Promise<PacedResult> {
  const active = o.scenarios.filter((s) => s.weight > 0);
  const next = weightedPicker(active, o.ctx.rand);
  const rec = new Map(active.map((s) => [s.name, new Recorder()]));
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  const rampEnd = performance.now() + o.rampSeconds * 1000;
  const end = rampEnd + o.seconds * 1000;
  let start = rampEnd;
  let cpu: CpuMeter | null = null;
  let done = 0;
  const bySecond: number[][] = [];
  let ticker: NodeJS.Timeout | undefined;
  let perSecond: NodeJS.Timeout | undefined;
  const cpuBySecond: CpuReport[] = [];
  const measuring = sleep(o.rampSeconds * 1000).then(() => {
    start = performance.now();
    cpu = new CpuMeter(o.serverPids);
    loop.enable();
    ticker = setInterval(() => o.onTick?.((performance.now() - start) / 1000, done), 10_000);
    // CPU of each party per second, to tell what a slow second coincided with
    let meter = new CpuMeter(o.serverPids);
    perSecond = setInterval(() => {
      cpuBySecond.push(meter.stop());
      meter = new CpuMeter(o.serverPids);
    }, 1000);
  });

  const user = async () => {
    // users arrive spread over the ramp, not all at once
    await sleep(o.ctx.rand() * o.rampSeconds * 1000);
    while (performance.now() < end) {
      const s = next();
      const r = rec.get(s.name)!;
      const measured = performance.now() >= rampEnd;
      const second = Math.floor((performance.now() - start) / 1000);
      const { ms, error, expected } = await perform(s, o.ctx, o.http, o.sessions.token(s.as));
      if (measured) {
        r.add(ms, error, expected);
        (bySecond[second] ??= []).push(ms);
        done++;
      } else if (error) r.rampError(error);
      // the last think time ends with the phase, not up to 3 s after it
      await sleep(Math.min(1000 + o.ctx.rand() * 2000, Math.max(0, end - performance.now())));
    }
  };
  await Promise.all([measuring, ...Array.from({ length: o.users }, user)]);
  clearInterval(ticker);
  clearInterval(perSecond);
  const seconds = (performance.now() - start) / 1000;
  const cpuReport = (cpu as CpuMeter | null)!.stop();
  loop.disable();

  const scenarios: Record<string, ScenarioLatency> = {};
  for (const [name, r] of rec) {
    const sorted = Float64Array.from(r.ms).sort();
    const arr = Array.from(sorted);
    scenarios[name] = {
      count: arr.length,
      errors: r.errors,
      expected: r.expected,
      p50Ms: round(percentile(arr, 50)),
      p95Ms: round(percentile(arr, 95)),
      p99Ms: round(percentile(arr, 99)),
      maxMs: round(arr[arr.length - 1] ?? 0),
      rps: round(arr.length / seconds, 1),
      errorSamples: r.samples,
    };
  }
  return {
    seconds: round(seconds, 1),
    scenarios,
    cpu: cpuReport,
    // the histogram records the whole timer interval: the delay is what exceeds the resolution
    clientLoopDelayP99Ms: round(Math.max(0, loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS)),
    totalRps: round(done / seconds, 1),
    timeline: Array.from(bySecond, (ms = [], i) => {
      const sorted = Array.from(Float64Array.from(ms).sort());
      const cpu = cpuBySecond[i];
      return {
        s: i,
        n: sorted.length,
        p95Ms: round(percentile(sorted, 95)),
        maxMs: round(sorted[sorted.length - 1] ?? 0),
        ...(cpu ? { cpu } : {}),
      };
    }),
  };
}
