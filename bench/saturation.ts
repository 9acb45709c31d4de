import autocannon from 'autocannon';
import type { Outcome } from './scenarios.ts';
import { CpuMeter, type CpuReport, percentile, round } from './stats.ts';

export interface SaturationResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  cpu: CpuReport;
}

/**
 * Closed-loop load: `connections` connections each sending its next request as soon as the
 * previous answer arrives, for `seconds`. `path` gives each request its URL (a random patient…).
 */
export async function saturate(o: {
  url: URL;
  path: () => string;
  token?: () => string;
  connections: number;
  seconds: number;
  serverPids: number[];
}): Promise<SaturationResult> {
  const cpu = new CpuMeter(o.serverPids);
  const result = await autocannon({
    url: o.url.origin,
    connections: o.connections,
    duration: o.seconds,
    timeout: 30,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({
          ...req,
          path: o.path(),
          headers: { ...req.headers, accept: 'application/json', ...(o.token ? { authorization: `Bearer ${o.token()}` } : {}) },
        }),
      },
    ],
  });
  return {
    rps: round(result.requests.sent ? result['2xx'] / result.duration : 0, 1),
    p50Ms: round(result.latency.p50),
    p99Ms: round(result.latency.p99),
    requests: result['2xx'] + result.non2xx,
    errors: result.errors + result.non2xx,
    cpu: cpu.stop(),
  };
}

/**
 * The closed loop of a scenario of several requests (autocannon sends one request at a time): `workers`
 * loops each doing the scenario again as soon as it is done, for `seconds`. `rps` counts whole scenarios
 * that succeeded, the latencies are theirs.
 */
export async function saturateRuns(o: {
  once: () => Promise<Outcome>;
  workers: number;
  seconds: number;
  serverPids: number[];
}): Promise<SaturationResult> {
  const cpu = new CpuMeter(o.serverPids);
  const start = performance.now();
  const end = start + o.seconds * 1000;
  const ms: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: o.workers }, async () => {
      while (performance.now() < end) {
        const r = await o.once();
        if (r.error) errors++;
        else ms.push(r.ms);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const sorted = Array.from(Float64Array.from(ms).sort());
  return {
    rps: round(sorted.length / seconds, 1),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    requests: sorted.length + errors,
    errors,
    cpu: cpu.stop(),
  };
}
