import crypto from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Hl7Message, Hl7Segment } from '@medplum/core';
import { normalizeMrn } from '@sanita/clinical/mrn';
import type { MessageDetail, MessageList, MessageQuery, MessageSummary, ResolveInput, UnmappedCode } from '@sanita/contracts/hl7';
import type { PatientInput } from '@sanita/contracts/patients';
import { isDatabaseUnavailable, type Db, type Tx } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/access.ts';
import { systemActor, writeAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { Conflict, DomainError, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import type { PatientsService } from '../patients/patients.service.ts';
import type { ExternalObservation, LabService } from '../lab/lab.service.ts';
import * as repo from './hl7.repository.ts';
import {
  buildAck,
  comp,
  deliveryHash,
  ERR,
  hl7Date,
  hl7DateTime,
  MessageProblem,
  parsedSegments,
  problem,
  readMessage,
  repetitions,
  type Problem,
  type Read,
} from './hl7.message.ts';

/** The laboratory's service, as the interface uses it (inside the message's transaction). */
export type LabPort = Pick<LabService, 'matchExternal' | 'recordExternalResults' | 'testByLoinc' | 'testByCode'>;
type Observation = ExternalObservation;

interface Outcome {
  status: 'processed' | 'unmatched';
  /** why it waits (unmatched) */
  reason?: string;
  unmapped?: UnmappedCode[];
  patientId?: string | null;
  orderId?: string | null;
  clinicId?: string | null;
  /** what to announce once committed (released results, critical alerts) */
  announce?: (() => Promise<void>)[];
}

const orderOf = (m: Match | undefined): string | undefined => (m && 'orderId' in m ? m.orderId : undefined);
type Match = { orderId: string; patientId: string; clinicId: string } | { patientId: string; clinicId: string } | null;

/** A technician's resolution: the order or patient to use, replacing the message's own identifiers. */
interface Override {
  match?: { orderId: string; patientId: string; clinicId: string } | { patientId: string; clinicId: string };
}

/** Thrown inside the transaction when an earlier delivery of the same message was processed. */
class AlreadyProcessed extends Error {}

const READ_ACTION = 'hl7.message.read';
/** the statuses of an inbound message that a replay (or a resolution) may process again */
const REPLAYABLE: readonly string[] = ['error', 'unmatched', 'rejected'];
const CACHE_MS = 60_000;

/**
 * The HL7 v2 interface: answers each message received on the MLLP listener with its ACK, in one
 * transaction per message (the log row and what the message changes commit together, or nothing
 * but the log row when it fails), and the log's reads, replay and the unmatched queue.
 */
export class Hl7Service {
  private adtClinicId: string | undefined;
  /** catalogue lookups by code (a minute: the catalogue rarely changes, results arrive by the hundred) */
  private readonly testCache = new Map<string, { id: string | null; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly patients: PatientsService,
    private readonly lab: LabPort,
    private readonly options: { adtClinic: string | undefined; log: FastifyBaseLogger },
  ) {}

  // ------------------------------------------------------------------ receiving

  /**
   * One message from the listener → its ACK. Never throws: an unreadable or unsupported message is
   * answered AR, a message that cannot be processed AE (logged with the reason, nothing else
   * written), a redelivery of a processed message with the ACK it had.
   */
  receive = async (raw: string): Promise<string> => {
    try {
      const read = readMessage(raw);
      if (read.problem) return await this.reject(read, read.problem);
      return await this.process(read, null, {});
    } catch (err) {
      // the last resort (e.g. the database unreachable while logging): an AE of our own, never a crash
      this.options.log.error({ err }, 'hl7: a message could not be answered normally');
      const p: Problem = {
        ack: 'AE',
        location: 'MSH',
        code: ERR.internal,
        text: 'the message could not be processed; send it again later',
      };
      return buildAck({ text: '', header: readMessage(raw).header, message: null, problem: p }, 'AE', p);
    }
  };

  /** The AR for a frame over the size limit, from its beginning; logged as rejected. */
  tooLarge = (head: string, maxBytes: number): string => {
    const read = readMessage(head);
    const p: Problem = {
      ack: 'AR',
      location: 'MSH',
      code: ERR.segmentSequence,
      text: `the message is longer than ${maxBytes} bytes`,
    };
    return buildAck({ ...read, message: read.problem ? null : read.message }, 'AR', p);
  };

  private async reject(read: Read, p: Problem): Promise<string> {
    const ack = buildAck(read, 'AR', p);
    try {
      await repo.insertRejected(this.db, {
        ...this.headerColumns(read),
        direction: 'in',
        contentHash: deliveryHash(read.text),
        raw: read.text,
        status: 'rejected',
        ackCode: 'AR',
        ack,
        error: `${p.location}: ${p.text}`,
      });
    } catch (err) {
      this.options.log.error({ err }, 'hl7: a rejected message could not be logged');
    }
    return ack;
  }

  private headerColumns(read: Read) {
    const h = read.header;
    const pid = read.message?.getSegment('PID');
    const name = pid ? [comp(pid, 5, 2), comp(pid, 5, 1)].filter(Boolean).join(' ') : '';
    const obr = read.message?.getSegment('OBR');
    const orc = read.message?.getSegment('ORC');
    return {
      sendingApplication: h.sendingApplication,
      sendingFacility: h.sendingFacility,
      controlId: h.controlId,
      messageType: h.messageType,
      patientIdentifier: pid ? comp(pid, 3, 1) || comp(pid, 2, 1) || null : null,
      patientName: name || null,
      placerOrderNumber: (obr && comp(obr, 2)) || (orc && comp(orc, 2)) || null,
      fillerOrderNumber: (obr && comp(obr, 3)) || (orc && comp(orc, 3)) || null,
    };
  }

  /**
   * Processes a message in one transaction with its log row. `existing`: the row of a replay or a
   * resolution (updated in place, one attempt more); otherwise the row is inserted, or an earlier
   * failed delivery of the same message taken over.
   */
  private async process(
    read: Read,
    existing: { id: string; by: string | null } | null,
    override: Override,
    hooks: { before?: (tx: Tx) => Promise<void>; after?: (tx: Tx, outcome: Outcome) => Promise<void> } = {},
  ): Promise<string> {
    const message = read.message!;
    const hash = deliveryHash(read.text);
    const columns = this.headerColumns(read);
    // the row's id is known before processing: results name the message they came from
    const id = existing?.id ?? crypto.randomUUID();
    const base = { ...columns, id, direction: 'in' as const, contentHash: hash, raw: read.text };
    try {
      let announce: Outcome['announce'] = [];
      const ack = await this.db.transaction(async (tx) => {
        if (existing) {
          // a replay or a resolution holds the row: two at once would process the message twice
          const locked = await repo.findMessage(tx, existing.id, true);
          if (!locked || !REPLAYABLE.includes(locked.status))
            throw new Conflict('This message was processed meanwhile', 'HL7_NOT_REPLAYABLE', { status: locked?.status ?? null });
        }
        await hooks.before?.(tx);
        const outcome = await this.apply(tx, message, read, override, id);
        await hooks.after?.(tx, outcome);
        announce = outcome.announce;
        const ack = buildAck(read, 'AA', null);
        const fields = {
          status: outcome.status,
          ackCode: 'AA',
          ack,
          error: outcome.reason ?? null,
          unmapped: outcome.unmapped?.length ? outcome.unmapped : null,
          patientId: outcome.patientId ?? null,
          orderId: outcome.orderId ?? null,
          clinicId: outcome.clinicId ?? null,
          processedAt: outcome.status === 'processed' ? new Date() : null,
        };
        if (existing) await repo.recordAttempt(tx, existing.id, fields, existing.by);
        else if (!(await repo.upsertInbound(tx, { ...base, ...fields }))) throw new AlreadyProcessed();
        return ack;
      });
      for (const a of announce ?? [])
        await a().catch((err: unknown) => this.options.log.error({ err }, 'hl7: announcing results failed'));
      return ack;
    } catch (err) {
      if (err instanceof AlreadyProcessed) {
        const ack = await repo.redelivered(this.db, { ...columns, contentHash: hash });
        return ack ?? buildAck(read, 'AA', null);
      }
      if (existing && !(err instanceof MessageProblem)) throw err;
      const p: Problem =
        err instanceof MessageProblem
          ? err.problem
          : isDatabaseUnavailable(err)
            ? {
                ack: 'AE',
                location: 'MSH',
                code: ERR.internal,
                text: 'the database is unavailable; send the message again later',
              }
            : {
                ack: 'AE',
                location: 'MSH',
                code: ERR.internal,
                text: 'the message could not be processed; it is kept for replay',
              };
      if (!(err instanceof MessageProblem)) this.options.log.error({ err }, 'hl7: processing a message failed');
      const ack = buildAck(read, p.ack, p);
      try {
        const fields = { status: 'error' as const, ackCode: p.ack, ack, error: `${p.location}: ${p.text}`, processedAt: null };
        if (existing) await repo.recordAttempt(this.db, existing.id, fields, existing.by);
        else await repo.upsertInbound(this.db, { ...base, ...fields });
      } catch (logErr) {
        this.options.log.error({ err: logErr }, 'hl7: a failed message could not be logged');
      }
      return ack;
    }
  }

  private apply(tx: Tx, message: Hl7Message, read: Read, override: Override, messageId: string): Promise<Outcome> {
    const type = read.header.messageType;
    if (type === 'ORU^R01') return this.applyResults(tx, message, read, override, messageId);
    return this.applyAdt(tx, message, read, type.split('^')[1] as 'A01' | 'A04' | 'A08');
  }

  // ------------------------------------------------------------------ ADT

  private identifiers(pid: Hl7Segment, read: Read): { authority: string; identifier: string; type: string }[] {
    const out: { authority: string; identifier: string; type: string }[] = [];
    for (const field of [3, 2]) {
      const reps = repetitions(pid, field);
      reps.forEach((_, i) => {
        const identifier = comp(pid, field, 1, i);
        if (!identifier) return;
        const authority = comp(pid, field, 4, i) || read.header.sendingFacility || read.header.sendingApplication;
        out.push({ authority: authority.slice(0, 200), identifier: identifier.slice(0, 200), type: comp(pid, field, 5, i) });
      });
    }
    return out;
  }

  private async findPatient(
    tx: Tx,
    ids: { authority: string; identifier: string }[],
  ): Promise<{ patientId: string; clinicId: string } | undefined> {
    for (const i of ids) {
      if (!normalizeMrn(i.identifier)) continue;
      const p = await this.patients.findByMrnForInterface(tx, i.identifier);
      if (p) return { patientId: p.id, clinicId: p.primaryClinicId };
    }
    return repo.findLinkedPatient(tx, ids);
  }

  private demographics(pid: Hl7Segment): PatientInput {
    const familyName = comp(pid, 5, 1).slice(0, 100);
    const givenName = comp(pid, 5, 2).slice(0, 100);
    if (!familyName) throw problem('AE', 'PID-5', ERR.requiredField, 'PID-5.1 (family name) is missing');
    if (!givenName) throw problem('AE', 'PID-5', ERR.requiredField, 'PID-5.2 (given name) is missing');
    const birthDate = hl7Date(comp(pid, 7, 1), 'PID-7');
    if (!birthDate) throw problem('AE', 'PID-7', ERR.requiredField, 'PID-7 (date of birth) is missing');
    const today = new Date().toISOString().slice(0, 10);
    if (birthDate > today || birthDate < '1880-01-01')
      throw problem('AE', 'PID-7', ERR.dataType, `PID-7 (date of birth) ${birthDate} is out of range`);
    const sexCode = comp(pid, 8, 1).toUpperCase();
    const sex: PatientInput['sex'] =
      sexCode === 'F'
        ? 'female'
        : sexCode === 'M'
          ? 'male'
          : sexCode === 'O' || sexCode === 'A' || sexCode === 'N'
            ? 'other'
            : 'unknown';
    const input: PatientInput = { givenName, familyName, sex, birthDate };
    const middle = comp(pid, 5, 3).slice(0, 100);
    if (middle) input.middleName = middle;
    const phones = repetitions(pid, 13)
      .map((_, i) => comp(pid, 13, 1, i) || comp(pid, 13, 12, i))
      .filter((p) => /^[+0-9 ().-]*[0-9][+0-9 ().-]*$/.test(p) && p.length >= 6 && p.length <= 32)
      .slice(0, 5);
    if (phones.length) input.phones = phones;
    const line = [comp(pid, 11, 1), comp(pid, 11, 2)].filter(Boolean).join(', ').slice(0, 200);
    const city = comp(pid, 11, 3).slice(0, 100);
    const region = comp(pid, 11, 4).slice(0, 100);
    const country = comp(pid, 11, 6);
    if (line || city || region) {
      input.address = {
        ...(line ? { line } : {}),
        ...(city ? { city } : {}),
        ...(region ? { region } : {}),
        ...(/^[A-Za-z]{2}$/.test(country) ? { country: country.toUpperCase() } : {}),
      };
    }
    return input;
  }

  private actor(read: Read): AuditActor {
    return { ...systemActor, role: 'hl7', userAgent: `hl7:${read.header.sendingApplication}`.slice(0, 200) };
  }

  /**
   * A01 (admit) / A04 (register): the patient the identifiers name (our MRN, or an identifier of
   * this sender seen before), else the UI's duplicate check at the ADT clinic (a likely duplicate is
   * linked, not created again), else a new record. A08 (update): the demographics of that patient
   * (on its current version), or a new record when nobody matches.
   */
  private async applyAdt(tx: Tx, message: Hl7Message, read: Read, event: 'A01' | 'A04' | 'A08'): Promise<Outcome> {
    const pid = message.getSegment('PID');
    if (!pid) throw problem('AE', 'PID', ERR.segmentSequence, 'the PID segment is missing');
    const ids = this.identifiers(pid, read);
    if (!ids.length) throw problem('AE', 'PID-3', ERR.requiredField, 'PID-3 (patient identifier) is missing');
    const input = this.demographics(pid);
    const actor = this.actor(read);
    const source = { hl7: `${read.header.messageType}`, controlId: read.header.controlId };
    let found = await this.findPatient(tx, ids);
    if (found && event === 'A08') {
      await this.patients.updateFromInterface(tx, actor, found.patientId, input, source);
    } else if (!found) {
      const clinicId = await this.adtClinic(tx);
      const r = await this.patients.registerFromInterface(tx, actor, clinicId, input, source);
      found = { patientId: r.id, clinicId };
    }
    await repo.linkPatient(tx, found.patientId, ids);
    return { status: 'processed', patientId: found.patientId, clinicId: found.clinicId };
  }

  private async adtClinic(tx: Tx): Promise<string> {
    if (!this.adtClinicId) this.adtClinicId = await repo.adtClinic(tx, this.options.adtClinic);
    if (!this.adtClinicId)
      throw problem(
        'AE',
        'MSH',
        ERR.internal,
        `no clinic ${this.options.adtClinic ?? ''} to register patients at`.replace('  ', ' '),
      );
    return this.adtClinicId;
  }

  // ------------------------------------------------------------------ ORU

  private async testFor(tx: Tx, key: string, find: () => Promise<string | null>): Promise<string | null> {
    const hit = this.testCache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.id;
    const id = await find();
    this.testCache.set(key, { id, at: Date.now() });
    return id;
  }

  /**
   * ORU^R01: each OBR with its OBX is matched to an order (placer OBR-2/ORC-2, filler OBR-3/ORC-3)
   * or to the patient (our MRN in PID-3, or an identifier of this sender seen before); each OBX-3 to
   * a catalogue test (LOINC, our code, or the sender's mapping). Anything unmatched or unmapped
   * leaves the whole message in the unmatched queue, with nothing recorded.
   */
  private async applyResults(tx: Tx, message: Hl7Message, read: Read, override: Override, messageId: string): Promise<Outcome> {
    const lab = this.lab;
    const pid = message.getSegment('PID');
    if (!pid) throw problem('AE', 'PID', ERR.segmentSequence, 'the PID segment is missing');
    const ids = this.identifiers(pid, read);

    interface Group {
      obr: Hl7Segment;
      orc: Hl7Segment | undefined;
      obx: { seg: Hl7Segment; n: number; notes: string[] }[];
    }
    const groups: Group[] = [];
    let orc: Hl7Segment | undefined;
    let obxCount = 0;
    for (const s of message.segments) {
      if (s.name === 'ORC') orc = s;
      else if (s.name === 'OBR') groups.push({ obr: s, orc, obx: [] });
      else if (s.name === 'OBX') {
        obxCount++;
        const g = groups[groups.length - 1];
        // observations about the patient rather than an order (before any OBR) are not results: kept in the log only
        if (!g) continue;
        g.obx.push({ seg: s, n: obxCount, notes: [] });
      } else if (s.name === 'NTE') {
        const last = groups[groups.length - 1]?.obx.at(-1);
        const text = comp(s, 3);
        if (last && text) last.notes.push(text);
      }
    }
    if (!groups.length) throw problem('AE', 'OBR', ERR.segmentSequence, 'the OBR segment is missing');

    const sender = read.header.sendingApplication;
    const unmapped: UnmappedCode[] = [];
    const planned: { group: Group; observations: Observation[] }[] = [];
    const pending: { o: Omit<Observation, 'testId'>; codes: { system: string; code: string; text: string }[] }[] = [];
    for (const g of groups) {
      const observations: Observation[] = [];
      for (const x of g.obx) {
        const obs = this.observation(x.seg, x.n, x.notes, g.obr);
        if (!obs) continue;
        const codes = [
          { code: comp(x.seg, 3, 1), text: comp(x.seg, 3, 2), system: comp(x.seg, 3, 3) },
          { code: comp(x.seg, 3, 4), text: comp(x.seg, 3, 5), system: comp(x.seg, 3, 6) },
        ].filter((c) => c.code);
        if (!codes.length)
          throw problem('AE', 'OBX-3', ERR.requiredField, `OBX ${x.n}: OBX-3 (observation identifier) is missing`);
        let testId: string | null = null;
        for (const c of codes) {
          if (c.system.toUpperCase() === 'LN') testId = await this.testFor(tx, `LN:${c.code}`, () => lab.testByLoinc(tx, c.code));
          if (!testId) testId = await this.testFor(tx, `CODE:${c.code}`, () => lab.testByCode(tx, c.code));
          if (testId) break;
        }
        if (testId) observations.push({ ...obs, testId });
        else {
          const o = { ...obs, testId: '' };
          observations.push(o);
          pending.push({ o, codes });
        }
      }
      planned.push({ group: g, observations });
    }
    // the sender's own codes, mapped by a technician: one query for the message
    if (pending.length) {
      const maps = await repo.findMappings(
        tx,
        sender,
        pending.flatMap((p) => p.codes),
      );
      for (const p of pending) {
        const hit = p.codes.map((c) => maps.get(`${c.system}\u0000${c.code}`)).find(Boolean);
        if (hit) (p.o as Observation).testId = hit;
        else if (!unmapped.some((u) => u.code === p.codes[0]!.code && u.system === p.codes[0]!.system))
          unmapped.push(p.codes[0]!);
      }
    }

    // match each group (an override from the technician applies to all of them)
    const mrns = ids.filter((i) => normalizeMrn(i.identifier)).map((i) => i.identifier);
    let linked: { patientId: string; clinicId: string } | undefined | null = null;
    const matches: Match[] = [];
    for (const { group } of planned) {
      if (override.match) {
        matches.push(override.match);
        continue;
      }
      const placerOrderNumber = comp(group.obr, 2) || comp(group.orc, 2) || undefined;
      const fillerOrderNumber = comp(group.obr, 3) || comp(group.orc, 3) || undefined;
      let m = await lab.matchExternal(tx, { placerOrderNumber, fillerOrderNumber, mrn: mrns[0] });
      if (!m) {
        if (linked === null) linked = await repo.findLinkedPatient(tx, ids);
        m = linked ?? null;
      }
      matches.push(m);
    }
    const first = matches.find(Boolean) ?? null;
    const reasons: string[] = [];
    if (matches.some((m) => !m)) reasons.push('no order or patient matches the message (OBR-2, OBR-3, PID-3)');
    if (unmapped.length)
      reasons.push(`no test for ${unmapped.map((u) => `${u.code}${u.system ? ` (${u.system})` : ''}`).join(', ')}`);
    if (reasons.length) {
      return {
        status: 'unmatched',
        reason: reasons.join('; '),
        unmapped,
        patientId: first?.patientId ?? null,
        orderId: orderOf(first) ?? null,
        clinicId: first?.clinicId ?? null,
      };
    }
    let orderId: string | undefined;
    const announce: (() => Promise<void>)[] = [];
    for (let i = 0; i < planned.length; i++) {
      const { group, observations } = planned[i]!;
      const m = matches[i]!;
      if (!observations.length) continue;
      try {
        const r = await lab.recordExternalResults(tx, {
          orderId: orderOf(m),
          patientId: m.patientId,
          clinicId: m.clinicId,
          placerOrderNumber: comp(group.obr, 2) || comp(group.orc, 2) || undefined,
          observedAt: hl7DateTime(comp(group.obr, 7), 'OBR-7') ?? undefined,
          messageId,
          observations,
        });
        orderId ??= r.orderId;
        announce.push(r.announce);
      } catch (err) {
        if (err instanceof Invalid) {
          const issue = (err.details as { field?: string; message?: string }[] | undefined)?.[0];
          throw problem('AE', 'OBX-5', ERR.dataType, `${issue?.field ?? 'OBX'}: ${issue?.message ?? err.message}`);
        }
        if (err instanceof DomainError) throw problem('AE', 'OBX', ERR.dataType, err.message);
        throw err;
      }
    }
    return {
      status: 'processed',
      patientId: first!.patientId,
      clinicId: first!.clinicId,
      orderId: orderId ?? orderOf(first) ?? null,
      announce,
    };
  }

  /** One OBX as an observation, or null when it carries no value (pending, cannot be obtained). */
  private observation(obx: Hl7Segment, n: number, notes: string[], obr: Hl7Segment): Omit<Observation, 'testId'> | null {
    const type = comp(obx, 2).toUpperCase();
    const raw = comp(obx, 5);
    const status = comp(obx, 11).toUpperCase();
    if ((!raw && !comp(obx, 5, 2)) || status === 'X' || status === 'D') return null;
    // encapsulated data and reference pointers (images, PDFs) are no lab values: kept in the log only
    if (type === 'ED' || type === 'RP') return null;
    const where = `OBX-5`;
    const o: Omit<Observation, 'testId'> = {};
    if (type === 'NM') {
      const v = Number(raw);
      if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(raw) || !Number.isFinite(v))
        throw problem('AE', where, ERR.dataType, `OBX ${n}: ${raw.slice(0, 30)} is not a number (OBX-2 NM)`);
      o.valueNumeric = v;
    } else if (type === 'SN') {
      const comparator = comp(obx, 5, 1);
      const num = comp(obx, 5, 2);
      const v = Number(num);
      if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(num) || !Number.isFinite(v))
        throw problem('AE', where, ERR.dataType, `OBX ${n}: ${num.slice(0, 30)} is not a number (OBX-2 SN)`);
      o.valueNumeric = v;
      if (comparator && comparator !== '=') notes.unshift(`${comparator}${num}`);
    } else if (type === 'CE' || type === 'CWE' || type === 'CNE' || type === 'CF') {
      o.valueCode = raw.slice(0, 100);
      const text = comp(obx, 5, 2);
      if (text) o.valueText = text.slice(0, 2000);
    } else {
      o.valueText = raw.slice(0, 2000);
    }
    const unit = comp(obx, 6);
    if (unit) o.unit = unit.slice(0, 50);
    const flag = comp(obx, 8);
    if (flag) o.abnormalFlag = flag.slice(0, 10);
    const at = hl7DateTime(comp(obx, 14), 'OBX-14') ?? hl7DateTime(comp(obr, 7), 'OBR-7');
    if (at) o.observedAt = at;
    if (notes.length) o.comment = notes.join('\n').slice(0, 2000);
    return o;
  }

  // ------------------------------------------------------------------ the log (routes)

  private requireAny(p: Principal, perm: 'hl7:read' | 'hl7:manage'): void {
    if (p.patientId || !p.permissions.has(perm)) throw new Forbidden();
  }

  /** The clinic whose messages the user sees (with those that name no clinic); undefined: every clinic's. */
  private scope(p: Principal): string | null | undefined {
    return p.permissions.has('patients:read_all_clinics') ? undefined : p.clinicId;
  }

  /** Another clinic's message is not found, as another clinic's patient is not. */
  private sees(p: Principal, m: { clinicId: string | null }): boolean {
    const scope = this.scope(p);
    return scope === undefined || m.clinicId === null || m.clinicId === scope;
  }

  async list(p: Principal, actor: AuditActor, q: MessageQuery): Promise<MessageList> {
    this.requireAny(p, 'hl7:read');
    return this.db.transaction(async (tx) => {
      const rows = await repo.listMessages(tx, { ...q, limit: q.limit ?? 50, clinicId: this.scope(p) });
      await writeAudit(tx, actor, {
        action: 'hl7.message.search',
        details: { results: rows.length, status: q.status ?? null, type: q.type ?? null, query: q.q ? true : false },
      });
      return { data: rows.map((r) => this.summary(r)) };
    });
  }

  async unmatched(p: Principal, actor: AuditActor, limit: number): Promise<MessageList> {
    this.requireAny(p, 'hl7:read');
    return this.db.transaction(async (tx) => {
      const rows = await repo.listMessages(tx, { status: 'unmatched', direction: 'in', limit, clinicId: this.scope(p) });
      await writeAudit(tx, actor, { action: 'hl7.unmatched.read', details: { results: rows.length } });
      return { data: rows.map((r) => this.summary(r)) };
    });
  }

  /** One message; `acted`: the user just replayed or resolved it (they see the outcome even if it now names another clinic). */
  async get(p: Principal, actor: AuditActor, id: string, acted = false): Promise<MessageDetail> {
    this.requireAny(p, 'hl7:read');
    return this.db.transaction(async (tx) => {
      const r = await repo.messageDetail(tx, id);
      if (!r || (!acted && !this.sees(p, r))) throw new NotFound('No such message');
      await writeAudit(tx, actor, {
        action: READ_ACTION,
        patientId: r.patientId,
        resourceType: 'hl7_message',
        resourceId: id,
      });
      return this.detail(r);
    });
  }

  /**
   * Processes a stored inbound message again (after the catalogue, an order or a mapping was fixed):
   * one attempt more on the same log row, by this user. Only a message that failed or waits.
   */
  async replay(p: Principal, actor: AuditActor, id: string): Promise<MessageDetail> {
    this.requireAny(p, 'hl7:manage');
    const row = await repo.findMessage(this.db, id);
    if (!row || !this.sees(p, row)) throw new NotFound('No such message');
    if (row.direction !== 'in' || !REPLAYABLE.includes(row.status))
      throw new Conflict('Only a message that failed or waits can be replayed', 'HL7_NOT_REPLAYABLE', { status: row.status });
    const read = readMessage(row.raw);
    if (read.problem) {
      const ack = buildAck(read, 'AR', read.problem);
      const error = `${read.problem.location}: ${read.problem.text}`;
      await repo.recordAttempt(this.db, id, { status: 'rejected', ackCode: 'AR', ack, error }, p.userId);
    } else await this.process(read, { id, by: p.userId }, {});
    await writeAudit(this.db, actor, {
      action: 'hl7.message.replay',
      patientId: (await repo.findMessage(this.db, id))?.patientId ?? null,
      resourceType: 'hl7_message',
      resourceId: id,
    });
    return this.get(p, actor, id, true);
  }

  /**
   * Resolves a message of the unmatched queue: the order (or the patient, registered at the active
   * clinic) it belongs to, and a catalogue test for each of the sender's unmapped codes (remembered
   * for later messages); then processes it. 409 HL7_UNRESOLVED when something is still missing
   * (nothing is kept, not even the mappings).
   */
  async resolve(p: Principal, actor: AuditActor, id: string, body: ResolveInput): Promise<MessageDetail> {
    this.requireAny(p, 'hl7:manage');
    const row = await repo.findMessage(this.db, id);
    if (!row || row.direction !== 'in' || !this.sees(p, row)) throw new NotFound('No such message');
    if (row.status !== 'unmatched')
      throw new Conflict('This message is not waiting in the unmatched queue', 'HL7_NOT_UNMATCHED', { status: row.status });
    if ([body.orderId, body.orderNumber, body.patientId].filter(Boolean).length > 1)
      throw new Invalid([{ field: 'patientId', message: 'choose one order or one patient, not both' }]);
    const read = readMessage(row.raw);
    if (read.problem) throw new Conflict('This message cannot be read', 'HL7_NOT_UNMATCHED', { status: 'rejected' });
    let match: Override['match'];
    // the technician attaches results to their active clinic's orders and patients only
    if ((body.orderId || body.orderNumber || body.patientId) && !p.clinicId)
      throw new Forbidden('Choose a clinic first', 'NO_CLINIC');
    if (body.orderId) {
      match = await repo.orderRef(this.db, body.orderId);
      if (!match || match.clinicId !== p.clinicId)
        throw new Invalid([{ field: 'orderId', message: 'is not an order of this clinic' }]);
    } else if (body.orderNumber) {
      match = await repo.orderByNumber(this.db, body.orderNumber);
      if (!match || match.clinicId !== p.clinicId)
        throw new Invalid([{ field: 'orderNumber', message: 'is not an order of this clinic' }]);
    } else if (body.patientId) {
      match = await repo.patientAtClinic(this.db, body.patientId, p.clinicId!);
      if (!match) throw new Invalid([{ field: 'patientId', message: 'is not a patient of this clinic' }]);
    }
    const mappings = body.mappings ?? [];
    const state: { unresolved: string | null } = { unresolved: null };
    try {
      await this.process(
        read,
        { id, by: p.userId },
        { match },
        {
          before: async (tx) => {
            for (const m of mappings)
              await repo.upsertMapping(tx, { sendingApplication: read.header.sendingApplication, ...m, createdBy: p.userId });
          },
          after: async (_tx, outcome) => {
            if (outcome.status === 'processed') return;
            state.unresolved = outcome.reason ?? 'still unmatched';
            throw new ResolutionFailed();
          },
        },
      );
    } catch (err) {
      if (!(err instanceof ResolutionFailed)) throw err;
    }
    const unresolved = state.unresolved;
    if (unresolved) throw new Conflict(`Still unmatched: ${unresolved}`, 'HL7_UNRESOLVED', { reason: unresolved });
    await writeAudit(this.db, actor, {
      action: 'hl7.message.resolve',
      patientId: match?.patientId ?? null,
      resourceType: 'hl7_message',
      resourceId: id,
      details: { orderId: orderOf(match ?? null) ?? null, mappings: mappings.length },
    });
    return this.get(p, actor, id, true);
  }

  private summary(r: repo.ListedRow): MessageSummary {
    return {
      id: r.id,
      direction: r.direction,
      receivedAt: new Date(r.receivedAt).toISOString(),
      messageType: r.messageType,
      controlId: r.controlId,
      sendingApplication: r.sendingApplication,
      sendingFacility: r.sendingFacility,
      status: r.status,
      ackCode: r.ackCode,
      error: r.error,
      patientIdentifier: r.patientIdentifier,
      patientName: r.patientName,
      patient: r.patientId && r.mrn ? { id: r.patientId, mrn: r.mrn, name: r.ourName ?? '' } : null,
      orderId: r.orderId,
      placerOrderNumber: r.placerOrderNumber,
      fillerOrderNumber: r.fillerOrderNumber,
      attempts: r.attempts,
      deliveries: r.deliveries,
    };
  }

  private detail(r: NonNullable<Awaited<ReturnType<typeof repo.messageDetail>>>): MessageDetail {
    return {
      ...this.summary(r),
      raw: r.raw,
      segments: parsedSegments(r.raw),
      ack: r.ack,
      processedAt: r.processedAt ? new Date(r.processedAt).toISOString() : null,
      unmapped: r.unmapped ?? [],
      resolvedBy: r.resolvedBy ? { id: r.resolvedBy, name: r.resolverName ?? '' } : null,
      resolvedAt: r.resolvedAt ? new Date(r.resolvedAt).toISOString() : null,
    };
  }

  /** Moves a merged duplicate's links and messages to the survivor (the patients module's merge). */
  mergePatients = (tx: Tx, fromId: string, toId: string) => repo.mergePatients(tx, fromId, toId);
}

class ResolutionFailed extends Error {}
