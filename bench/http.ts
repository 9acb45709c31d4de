import http from 'node:http';
import type { BenchRequest } from './scenarios.ts';

export interface Response {
  status: number;
  /** client-side latency, from just before the request is written to the end of the response body */
  ms: number;
  body: string;
}

/**
 * A keep-alive HTTP/1.1 client on node:http: cheaper per request than fetch, so that the load
 * generator spends as little as possible of the CPU it shares with the server and PostgreSQL.
 */
export class HttpClient {
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });

  constructor(private readonly base: URL) {}

  send(req: BenchRequest, token: string | undefined, keepBody = false): Promise<Response> {
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (req.headers) Object.assign(headers, req.headers);
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve, reject) => {
      const start = process.hrtime.bigint();
      const r = http.request(
        { host: this.base.hostname, port: this.base.port, method: req.method, path: req.path, headers, agent: this.agent },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => {
            if (keepBody || (res.statusCode ?? 0) >= 300) parts.push(d);
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              ms: Number(process.hrtime.bigint() - start) / 1e6,
              body: Buffer.concat(parts).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      r.on('error', reject);
      r.setTimeout(30_000, () => r.destroy(new Error('timeout after 30 s')));
      r.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
