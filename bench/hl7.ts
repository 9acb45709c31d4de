// The HL7 v2 ingest phase (`hl7.oru.ingest`): ORU^R01 results sent over MLLP to the server's
// listener, each connection waiting for a message's ACK before it sends the next, first on one
// connection and then on ten in parallel. Every message must be acknowledged AA, and every one must
// be in the database afterwards (counted in the message log and in the results it recorded).
import { connect, type Socket } from 'node:net';
import type pg from 'pg';
import { percentile } from './stats.ts';

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

export interface OruIngestRun {
  connections: number;
  messages: number;
  seconds: number;
  perSecond: number;
  /** ACK codes (MSA-1) by count; anything but AA is an error */
  acks: Record<string, number>;
  /** messages that got no ACK (connection closed, timeout) */
  unanswered: number;
  ackP50Ms: number;
  ackP95Ms: number;
  /** counted in the database after the run */
  stored: { processed: number; results: number };
}

/** The laboratory results a bench message carries: analytes of the shipped catalogue by LOINC code. */
const ANALYTES: readonly { loinc: string; name: string; unit: string; low: number; high: number }[] = [
  { loinc: '2823-3', name: 'Potassium', unit: 'mmol/L', low: 3.2, high: 5.6 },
  { loinc: '2951-2', name: 'Sodium', unit: 'mmol/L', low: 130, high: 148 },
  { loinc: '14749-6', name: 'Glucose', unit: 'mmol/L', low: 3.5, high: 9 },
];

const hl7Time = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** One ORU^R01 for a patient by MRN, from an outside laboratory, with its three chemistry results. */
export function oruMessage(controlId: string, mrn: string, rand: () => number, at = new Date()): string {
  const ts = hl7Time(at);
  const obx = ANALYTES.map(
    (a, i) =>
      `OBX|${i + 1}|NM|${a.loinc}^${a.name}^LN||${(a.low + rand() * (a.high - a.low)).toFixed(1)}|${a.unit}|||||F|||${ts}`,
  );
  return [
    `MSH|^~\\&|BENCHLIS|BENCHLAB|SANITA|SANITA|${ts}||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    `PID|1||${mrn}^^^SANITA^MR||Bench^Patient`,
    `OBR|1||${controlId}|24323-8^Comprehensive metabolic panel^LN|||${ts}|||||||||||||||${ts}||CH|F`,
    ...obx,
  ].join('\r');
}

/** The MSA of an MLLP-framed ACK: its code and the control id it echoes. */
function ackOf(frame: Buffer): { code: string; controlId: string } {
  const text = frame.toString('utf8');
  const msa = text.split(/\r\n|\r|\n/).find((s) => s.startsWith('MSA|'));
  const [, code = '?', controlId = ''] = (msa ?? '').split('|');
  return { code, controlId };
}

/** Sends `messages` one after the other on one connection, each after the previous one's ACK. */
async function sendSequentially(
  host: string,
  port: number,
  messages: string[],
  acks: Record<string, number>,
  latencies: number[],
): Promise<number> {
  const socket: Socket = connect({ host, port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.setNoDelay(true);
  let buffer = Buffer.alloc(0);
  let waiting: ((frame: Buffer | null) => void) | null = null;
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    const start = buffer.indexOf(VT);
    const end = buffer.indexOf(FS, start);
    if (start >= 0 && end > start && buffer[end + 1] === CR) {
      const frame = buffer.subarray(start + 1, end);
      buffer = buffer.subarray(end + 2);
      waiting?.(frame);
    }
  });
  const closed = () => waiting?.(null);
  socket.on('close', closed);
  socket.on('error', closed);
  let unanswered = 0;
  for (const message of messages) {
    const sent = performance.now();
    const frame = await new Promise<Buffer | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 30_000);
      waiting = (f) => {
        clearTimeout(timer);
        waiting = null;
        resolve(f);
      };
      socket.write(Buffer.concat([Buffer.from([VT]), Buffer.from(message, 'utf8'), Buffer.from([FS, CR])]));
    });
    if (!frame) {
      unanswered++;
      if (socket.destroyed) {
        unanswered += messages.length - messages.indexOf(message) - 1;
        break;
      }
      continue;
    }
    latencies.push(performance.now() - sent);
    const { code } = ackOf(frame);
    acks[code] = (acks[code] ?? 0) + 1;
  }
  socket.end();
  return unanswered;
}

/**
 * One run of the phase: `connections` connections in parallel, `perConnection` messages each, for
 * patients drawn from `mrns`. Counts what the database holds of the run's messages afterwards.
 */
export async function runOruIngest(o: {
  host: string;
  port: number;
  connections: number;
  perConnection: number;
  mrns: readonly string[];
  rand: () => number;
  sql: pg.Pool;
}): Promise<OruIngestRun> {
  const run = `BENCH${Date.now().toString(36).toUpperCase()}C${o.connections}`;
  const batches = Array.from({ length: o.connections }, (_, c) =>
    Array.from({ length: o.perConnection }, (_, i) =>
      oruMessage(`${run}-${c}-${i}`, o.mrns[Math.floor(o.rand() * o.mrns.length)]!, o.rand),
    ),
  );
  const acks: Record<string, number> = {};
  const latencies: number[] = [];
  const start = performance.now();
  const unanswered = (
    await Promise.all(batches.map((messages) => sendSequentially(o.host, o.port, messages, acks, latencies)))
  ).reduce((a, b) => a + b, 0);
  const seconds = (performance.now() - start) / 1000;
  const messages = o.connections * o.perConnection;
  const { rows } = await o.sql.query<{ processed: string; results: string }>(
    `SELECT (SELECT count(*) FROM hl7_messages WHERE direction = 'in' AND control_id LIKE $1 AND status = 'processed') AS processed,
            (SELECT count(*) FROM lab_results r JOIN hl7_messages m ON m.id = r.source_message_id
              WHERE m.direction = 'in' AND m.control_id LIKE $1) AS results`,
    [`${run}-%`],
  );
  latencies.sort((a, b) => a - b);
  return {
    connections: o.connections,
    messages,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round((messages / seconds) * 10) / 10,
    acks,
    unanswered,
    ackP50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
    ackP95Ms: Math.round(percentile(latencies, 95) * 100) / 100,
    stored: { processed: Number(rows[0]!.processed), results: Number(rows[0]!.results) },
  };
}

/** Whether a run lost or refused anything: every message ACKed AA, each stored with its results. */
export function oruErrors(r: OruIngestRun): number {
  const notAccepted = Object.entries(r.acks)
    .filter(([code]) => code !== 'AA')
    .reduce((n, [, c]) => n + c, 0);
  const lost = r.messages - r.stored.processed;
  return notAccepted + r.unanswered + Math.max(0, lost) + Math.max(0, r.messages * ANALYTES.length - r.stored.results);
}
