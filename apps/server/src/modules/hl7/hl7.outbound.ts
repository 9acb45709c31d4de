import crypto from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { Hl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import * as repo from './hl7.repository.ts';
import { contentHash, escapeHl7 } from './hl7.message.ts';

export const SEND_ORDER_JOB = 'hl7.send-order';

const ts = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
const PRIORITY: Record<string, string> = { stat: 'S', urgent: 'A', routine: 'R' };
const SEX: Record<string, string> = { female: 'F', male: 'M', other: 'O', unknown: 'U' };

/**
 * Outbound ORM^O01 new orders to the laboratory information system (HL7_LIS_HOST/PORT): queued in
 * the log inside the order's own transaction (the lab's `orderCreated` hook), sent by the job queue
 * over MLLP (@medplum/hl7's client). An AA/CA marks it sent; AE/AR failed (the LIS refused it: not
 * retried); an unreachable LIS or no answer is retried with backoff (retrying), then failed.
 */
export class Hl7Outbound {
  constructor(
    private readonly db: Db,
    private readonly jobs: JobQueue,
    private readonly lis: { host: string; port: number; timeoutMs?: number } | null,
    private readonly log: FastifyBaseLogger,
  ) {}

  get enabled(): boolean {
    return this.lis !== null;
  }

  /** In the order's transaction: the ORM^O01 of the order, logged as pending, and its sending job. */
  queueOrder = async (tx: Tx, orderId: string): Promise<void> => {
    if (!this.lis) return;
    const o = await repo.orderForMessage(tx, orderId);
    if (!o || !o.items.length) return;
    const controlId = crypto.randomBytes(10).toString('hex');
    const raw = this.buildOrm(o, controlId);
    const id = await repo.insertOutbound(tx, {
      direction: 'out',
      sendingApplication: 'SANITA',
      sendingFacility: o.clinicCode,
      controlId,
      messageType: 'ORM^O01',
      contentHash: contentHash(raw),
      raw,
      status: 'pending',
      patientIdentifier: o.mrn,
      patientName: `${o.givenName} ${o.familyName}`,
      placerOrderNumber: o.number,
      patientId: o.patientId,
      orderId: o.id,
      clinicId: o.clinicId,
      attempts: 0,
    });
    await this.jobs.send(SEND_ORDER_JOB, { messageId: id }, { singletonKey: id });
  };

  private buildOrm(o: NonNullable<Awaited<ReturnType<typeof repo.orderForMessage>>>, controlId: string): string {
    const e = escapeHl7;
    const when = ts(new Date(o.orderedAt));
    const orderer = o.ordererId ? `${o.ordererId}^${e(o.ordererName ?? '')}` : '';
    const segments = [
      `MSH|^~\\&|SANITA|${e(o.clinicCode)}|LIS||${ts(new Date())}||ORM^O01^ORM_O01|${controlId}|P|2.5.1|||AL|NE`,
      `PID|1||${e(o.mrn)}^^^SANITA^MR||${e(o.familyName)}^${e(o.givenName)}^${e(o.middleName ?? '')}||${o.birthDate.replace(/-/g, '')}|${SEX[o.sex] ?? 'U'}`,
      `PV1|1|O`,
    ];
    o.items.forEach((item, i) => {
      const service = item.loinc
        ? `${e(item.loinc)}^${e(item.name)}^LN^${e(item.code)}^${e(item.name)}^L`
        : `${e(item.code)}^${e(item.name)}^L`;
      segments.push(`ORC|NW|${e(o.number)}|||||^^^${when}^^${PRIORITY[o.priority] ?? 'R'}||${when}|||${orderer}`);
      segments.push(`OBR|${i + 1}|${e(o.number)}||${service}|${PRIORITY[o.priority] ?? 'R'}|${when}|||||||||${orderer}`);
    });
    if (o.clinicalNotes) segments.push(`NTE|1||${e(o.clinicalNotes.slice(0, 2000))}`);
    return segments.join('\r');
  }

  async start(): Promise<void> {
    if (!this.lis) return;
    await this.jobs.work<{ messageId: string }>(SEND_ORDER_JOB, async ({ messageId }, attempt) => {
      const row = await repo.findMessage(this.db, messageId);
      // the order's transaction has not committed yet (or rolled back): try again later
      if (!row) {
        if (attempt.last) return;
        throw new Error('the message is not committed yet');
      }
      if (row.status === 'sent' || row.status === 'failed') return;
      try {
        const ack = await this.send(row.raw);
        const code = ack.getSegment('MSA')?.getField(1)?.toString() ?? '';
        const accepted = code === 'AA' || code === 'CA';
        const err = ack.getSegment('ERR');
        const reason = accepted
          ? null
          : [ack.getSegment('MSA')?.getField(3)?.toString(), err?.getField(8)?.toString() || err?.getField(3)?.toString()]
              .filter(Boolean)
              .join(': ') || `the laboratory system answered ${code || 'without MSA'}`;
        await repo.updateMessage(this.db, messageId, {
          status: accepted ? 'sent' : 'failed',
          ackCode: code || null,
          ack: ack.toString(),
          error: reason,
          processedAt: new Date(),
          attempts: row.attempts + 1,
        });
      } catch (err) {
        const reason = `the laboratory system at ${this.lis!.host}:${this.lis!.port} did not answer (${(err as Error).name})`;
        await repo.updateMessage(this.db, messageId, {
          status: attempt.last ? 'failed' : 'retrying',
          error: reason,
          attempts: row.attempts + 1,
        });
        if (!attempt.last) throw new Error(reason);
      }
    });
  }

  private async send(raw: string): Promise<Hl7Message> {
    const client = new Hl7Client({ host: this.lis!.host, port: this.lis!.port, connectTimeout: this.lis!.timeoutMs ?? 10_000 });
    try {
      return await client.sendAndWait(Hl7Message.parse(raw), { timeoutMs: this.lis!.timeoutMs ?? 10_000 });
    } finally {
      await client.close().catch(() => {});
      this.log.debug('hl7: order sent to the laboratory system');
    }
  }
}
