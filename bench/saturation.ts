import autocannon from 'autocannon';
import { CpuMeter, type CpuReport, round } from './stats.ts';

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
