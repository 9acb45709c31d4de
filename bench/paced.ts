import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { HttpClient } from './http.ts';
import type { Scenario, ScenarioContext } from './scenarios.ts';
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
}

class Recorder {
  readonly ms: number[] = [];
  errors = 0;
  expected = 0;
  readonly samples: string[] = [];

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `users` virtual users, each doing one action and then thinking 1–3 s (uniform), for `seconds`.
 * One request per user is in flight at most; latency is measured on the client.
 */
export async function runPaced(o: {
  http: HttpClient;
  sessions: Sessions;
  scenarios: Scenario[];
  ctx: ScenarioContext;
  users: number;
  seconds: number;
  serverPids: number[];
  onTick?: (elapsedS: number, done: number) => void;
}): Promise<PacedResult> {
  const active = o.scenarios.filter((s) => s.weight > 0);
  const next = weightedPicker(active, o.ctx.rand);
  const rec = new Map(active.map((s) => [s.name, new Recorder()]));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu = new CpuMeter(o.serverPids);
  const start = performance.now();
  const end = start + o.seconds * 1000;
  let done = 0;
  const ticker = setInterval(() => o.onTick?.((performance.now() - start) / 1000, done), 10_000);

  const user = async () => {
    // users arrive spread over one think time, not all at once
    await sleep(o.ctx.rand() * 2000);
    while (performance.now() < end) {
      const s = next();
      const r = rec.get(s.name)!;
      try {
        const res = await o.http.send(s.request(o.ctx), o.sessions.token());
        const ok = res.status >= 200 && res.status < 300;
        const expected = !ok && (s.expected?.includes(res.status) ?? false);
        r.add(res.ms, ok || expected ? null : `${res.status} ${res.body.slice(0, 200)}`, expected);
      } catch (err) {
        r.add(0, `network: ${(err as Error).message}`);
      }
      done++;
      await sleep(1000 + o.ctx.rand() * 2000);
    }
  };
  await Promise.all(Array.from({ length: o.users }, user));
  clearInterval(ticker);
  const seconds = (performance.now() - start) / 1000;
  const cpuReport = cpu.stop();
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
    clientLoopDelayP99Ms: round(loop.percentile(99) / 1e6),
    totalRps: round(done / seconds, 1),
  };
}
