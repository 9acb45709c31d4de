import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageDetail, MessageList } from '@sanita/contracts/hl7';
import { Hl7Message } from '@medplum/core';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';
import { MllpServer } from './mllp.ts';

// copies of the shared sample messages and outside MLLP peer, in the repository so that any clone runs them
const SAMPLES = path.resolve(import.meta.dirname, '../../../test/fixtures/hl7v2');
const PROBE = path.resolve(import.meta.dirname, '../../../test/fixtures/mllp-probe.py');

let ctx: TestContext;
let port: number;
let tech: Session;
let doctor: Session;

const VT = '\x0b';
const END = '\x1c\r';

/** Sends bytes on a new connection; resolves with the answer (up to FS CR), or '' when the server closes first. */
function exchange(payload: Buffer | string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection({ host: '127.0.0.1', port });
    let buf = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error('no answer'));
    }, timeoutMs);
    s.on('data', (d) => {
      buf += d.toString('utf8');
      if (buf.includes(END)) {
        clearTimeout(timer);
        s.end();
        resolve(buf);
      }
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve(buf);
    });
    s.on('error', () => {});
    s.write(payload);
  });
}

/** Several messages on one connection, answered in order. */
function conversation(messages: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection({ host: '127.0.0.1', port });
    let buf = '';
    const answers: string[] = [];
    s.on('data', (d) => {
      buf += d.toString('utf8');
      let i;
      while ((i = buf.indexOf(END)) >= 0) {
        answers.push(buf.slice(1, i));
        buf = buf.slice(i + 2);
      }
      if (answers.length === messages.length) {
        s.end();
        resolve(answers);
      }
    });
    s.on('error', reject);
    s.write(messages.map((m) => VT + m + END).join(''));
  });
}

const send = (message: string) => exchange(VT + message + END);
const msa = (ack: string) => /MSA\|(\w+)\|([^|\r]*)/.exec(ack)?.slice(1, 3) ?? [];
const err = (ack: string) => /ERR\|[^\r]*/.exec(ack)?.[0] ?? '';
const sample = (name: string) => fs.readFileSync(path.join(SAMPLES, name), 'utf8');
let serial = 0;
const uniq = () => `T${Date.now()}${++serial}`;

/** A birth date and a phone number of its own for each message (the duplicate check compares them). */
const birth = () => `19${String(10 + (serial % 80)).padStart(2, '0')}0${1 + (serial % 9)}${String(10 + (++serial % 18))}`;
const phone = () => `+2438${String(10_000_000 + ++serial * 7919).slice(0, 8)}`;

/** An ADT message of ours (segments joined by `sep`). */
function adt(
  event: string,
  o: {
    control?: string;
    id?: string;
    family?: string;
    given?: string;
    birth?: string;
    sex?: string;
    phone?: string;
    sep?: string;
  } = {},
) {
  return [
    `MSH|^~\\&|REGAPP|CITYHOSP|SANITA|KIN|20260101120000||ADT^${event}^ADT_${event}|${o.control ?? uniq()}|P|2.5.1`,
    `EVN|${event}|20260101120000`,
    `PID|1||${o.id ?? uniq()}^^^CITYHOSP^MR||${o.family ?? 'Lukusa'}^${o.given ?? 'Amani'}^^^^^L||${o.birth ?? birth()}|${o.sex ?? 'F'}|||12 Avenue Kasa-Vubu^^Kinshasa^^^CD||${o.phone ?? phone()}`,
    `PV1|1|O`,
  ].join(o.sep ?? '\r');
}

beforeAll(async () => {
  ctx = await createTestContext();
  const address = await ctx.app.services.hl7Listener.start({ port: 0, host: '127.0.0.1' });
  port = address!.port;
  tech = await ctx.login('lab_technician@sanita.test');
  doctor = await ctx.login('doctor@sanita.test');
}, 60_000);
afterAll(async () => {
  await ctx?.close();
});

async function patientsNamed(family: string) {
  return (
    await ctx.sql.query<{ id: string; version: number; given_name: string; phones: string[] }>(
      `SELECT id, version, given_name, phones FROM patients WHERE family_name = $1 ORDER BY created_at`,
      [family],
    )
  ).rows;
}

describe('the MLLP listener', () => {
  it('answers every sample with an ACK echoing its control id: ADT A01/A04/A08 accepted, what it does not handle rejected', async () => {
    const files = fs
      .readdirSync(SAMPLES)
      .filter((f) => f.endsWith('.hl7'))
      .sort();
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const text = sample(f);
      const ack = await send(text.replace(/\r?\n/g, '\r'));
      const [code, echoed] = msa(ack);
      if (text.startsWith('\uFEFF')) {
        // as on the wire, the file's byte-order mark comes before MSH: not a message (no control id to echo)
        expect([code, echoed], f).toEqual(['AR', '']);
        expect(err(ack), f).toContain('byte-order mark');
        continue;
      }
      const control = /^MSH\|[^|]*\|(?:[^|]*\|){7}([^|]*)\|/.exec(text)![1];
      expect(echoed, f).toBe(control);
      const type = /^MSH\|(?:[^|]*\|){7}([A-Z]{3})\^?([A-Z0-9]*)/.exec(text)!;
      if (type[1] === 'ADT' && ['A01', 'A04', 'A08'].includes(type[2]!)) expect(code, f).toBe('AA');
      else if (type[1] === 'ORU') expect(code, f).toBe('AA');
      else {
        expect(code, f).toBe('AR');
        expect(err(ack), f).toMatch(type[1] === 'ADT' ? /201\^Unsupported event code/ : /200\^Unsupported message type/);
      }
    }
    // the samples' patient (PID-3 PATID1234) was registered once, whatever the number of ADT messages
    expect(await patientsNamed('EVERYMAN')).toHaveLength(1);
  }, 120_000);

  it('accepts CR, LF and CRLF between segments', async () => {
    for (const sep of ['\r', '\n', '\r\n']) {
      const family = `Sep${uniq()}`;
      const ack = await send(adt('A04', { family, sep }));
      expect(msa(ack)[0]).toBe('AA');
      expect(await patientsNamed(family)).toHaveLength(1);
    }
  });

  it('answers several messages on one connection in order', async () => {
    const controls = [uniq(), uniq(), uniq()];
    const answers = await conversation(controls.map((c) => adt('A04', { control: c, family: `Conv${c}` })));
    expect(answers.map((a) => msa(a)[1])).toEqual(controls);
  });

  it('answers malformed messages AR with an ERR naming the problem, and keeps serving', async () => {
    const noMsh = await send('PID|1||123^^^X^MR||Doe^John');
    expect(msa(noMsh)[0]).toBe('AR');
    expect(err(noMsh)).toContain('does not begin with an MSH segment');

    const badEncoding = await send(
      `MSH|^^^^|APP|FAC|||20260101||ADT^A04|${uniq()}|P|2.5.1\rPID|1||1^^^X^MR||Doe^John||19800101|M`,
    );
    expect(msa(badEncoding)[0]).toBe('AR');
    expect(err(badEncoding)).toMatch(/MSH\^1\^2\|102\^Data type error/);

    const noType = await send(`MSH|^~\\&|APP|FAC|||20260101|||${uniq()}|P|2.5.1`);
    expect(msa(noType)[0]).toBe('AR');
    expect(err(noType)).toContain('MSH-9');

    const badVersion = await send(`MSH|^~\\&|APP|FAC|||20260101||ADT^A04|${uniq()}|P|3.0`);
    expect(err(badVersion)).toMatch(/203\^Unsupported version id/);

    // content errors are AE, naming the field; nothing is written
    const family = `Bad${uniq()}`;
    const badDate = await send(adt('A04', { family, birth: '19801345' }));
    expect(msa(badDate)[0]).toBe('AE');
    expect(err(badDate)).toMatch(/PID\^1\^7\|102\^Data type error/);
    const noName = await send(adt('A04', { family: '' }));
    expect(msa(noName)[0]).toBe('AE');
    expect(err(noName)).toContain('PID-5.1');
    expect(await patientsNamed(family)).toHaveLength(0);

    // wrong framing: bytes outside a frame close the connection without an answer
    expect(await exchange('MSH|^~\\&|no framing\r\n')).toBe('');
    // a truncated frame: the peer gives up and closes; the next connection is answered
    const s = net.createConnection({ host: '127.0.0.1', port });
    await new Promise((r) => s.once('connect', r));
    s.write(VT + 'MSH|^~\\&|TRUNCATED|X');
    s.destroy();
    // 10 MB: answered AR (or closed) without buffering it, then the connection is closed
    const huge = await exchange(
      Buffer.concat([
        Buffer.from(VT + 'MSH|^~\\&|BIG|X|||20260101||ORU^R01|BIG1|P|2.5.1\rOBX|1|ST|X||'),
        Buffer.alloc(10 * 1024 * 1024, 'a'),
        Buffer.from(END),
      ]),
    );
    if (huge) {
      expect(msa(huge)[0]).toBe('AR');
      expect(err(huge)).toContain('longer than');
    }
    // an empty frame
    expect(msa(await send(''))[0]).toBe('AR');

    const after = await send(adt('A04', { family: `After${uniq()}` }));
    expect(msa(after)[0]).toBe('AA');
  }, 60_000);

  it('registers through the duplicate check: the same person from another system is linked, not created twice', async () => {
    const family = `Dup${uniq()}`;
    const same = { family, birth: '19750612', phone: '+243812345001' };
    expect(msa(await send(adt('A01', { ...same, id: 'A-1' })))[0]).toBe('AA');
    expect(msa(await send(adt('A04', { ...same, id: 'B-7', phone: undefined })))[0]).toBe('AA');
    const rows = await patientsNamed(family);
    expect(rows).toHaveLength(1);
    const links = await ctx.sql.query(`SELECT identifier FROM hl7_patient_links WHERE patient_id = $1 ORDER BY identifier`, [
      rows[0]!.id,
    ]);
    expect(links.rows.map((r) => r.identifier)).toEqual(['A-1', 'B-7']);
    // the registration was audited as the interface
    const audit = await ctx.sql.query(
      `SELECT actor_role, details FROM audit_log WHERE action = 'patient.create' AND patient_id = $1`,
      [rows[0]!.id],
    );
    expect(audit.rows[0]).toMatchObject({ actor_role: 'hl7' });
  });

  it('updates a patient on A08 once, even when the message is delivered twice (same ACK)', async () => {
    const family = `Upd${uniq()}`;
    const id = `U-${uniq()}`;
    await send(adt('A04', { family, id, given: 'Grace' }));
    const [before] = await patientsNamed(family);
    const a08 = adt('A08', { family, id, given: 'Gracia', phone: '+243899000222' });
    const first = await send(a08);
    const second = await send(a08);
    expect(msa(first)[0]).toBe('AA');
    expect(second).toBe(first);
    const [after] = await patientsNamed(family);
    expect(after!.id).toBe(before!.id);
    expect(after!.given_name).toBe('Gracia');
    expect(after!.phones).toEqual(['+243899000222']);
    expect(after!.version).toBe(before!.version + 1);
    const log = await ctx.sql.query(
      `SELECT deliveries, attempts, status FROM hl7_messages WHERE patient_id = $1 AND message_type = 'ADT^A08'`,
      [before!.id],
    );
    expect(log.rows).toEqual([{ deliveries: 2, attempts: 1, status: 'processed' }]);
  });

  it('speaks MLLP over TLS when given a certificate and key', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hl7-tls-'));
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
    ]);
    const secure = await createTestContext({
      hl7MllpTlsCert: path.join(dir, 'cert.pem'),
      hl7MllpTlsKey: path.join(dir, 'key.pem'),
    });
    try {
      const addr = await secure.app.services.hl7Listener.start({ port: 0, host: '127.0.0.1' });
      expect(addr!.tls).toBe(true);
      const control = uniq();
      const ack = await new Promise<string>((resolve, reject) => {
        const s = tls.connect(
          { host: '127.0.0.1', port: addr!.port, ca: fs.readFileSync(path.join(dir, 'cert.pem')), servername: 'localhost' },
          () => s.write(VT + adt('A04', { control, family: `Tls${control}` }) + END),
        );
        let b = '';
        s.on('data', (d) => {
          b += d.toString();
          if (b.includes(END)) {
            s.end();
            resolve(b);
          }
        });
        s.on('error', reject);
      });
      expect(msa(ack)).toEqual(['AA', control]);
      // a plain TCP peer gets nothing from a TLS listener
      const plain = await new Promise<string>((resolve) => {
        const s = net.createConnection({ host: '127.0.0.1', port: addr!.port }, () => s.write(VT + adt('A04') + END));
        let b = '';
        s.on('data', (d) => (b += d.toString('latin1')));
        s.on('close', () => resolve(b));
        s.on('error', () => resolve(b));
        setTimeout(() => s.destroy(), 2000);
      });
      expect(plain).not.toContain('MSA|');
    } finally {
      await secure.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('passes the outside probe (../shared/tools/mllp-probe.py)', async () => {
    const stdout = await promisify(execFile)('python3', [PROBE, String(port), SAMPLES], { timeout: 90_000 }).then(
      (r) => r.stdout,
      (e: { stdout?: string; message?: string }) => e.stdout ?? e.message ?? '',
    );
    console.log(stdout.trim());
    expect(stdout).toMatch(/mllp: (\d+)\/\1 messages ACKed with matching MSA-2/);
  }, 100_000);
});

/** An ORU^R01 of ours: one OBR, OBX as given (code^text^system, type, value, unit). */
function oru(o: {
  control?: string;
  sender?: string;
  pid3: string;
  placer?: string;
  filler?: string;
  obx: { code: string; type?: string; value: string; unit?: string; flag?: string }[];
}) {
  return [
    `MSH|^~\\&|${o.sender ?? 'CITYLAB'}|CITYLABFAC|SANITA|KIN|20260105101500||ORU^R01^ORU_R01|${o.control ?? uniq()}|P|2.5.1`,
    `PID|1||${o.pid3}||Mbala^Jeanne||19800101|F`,
    `OBR|1|${o.placer ?? ''}|${o.filler ?? ''}|24331-1^Lipid panel^LN|||20260105083000+0100`,
    ...o.obx.map(
      (x, i) =>
        `OBX|${i + 1}|${x.type ?? 'NM'}|${x.code}||${x.value}|${x.unit ?? ''}|||${x.flag ?? ''}|||F|||20260105090000+0100`,
    ),
  ].join('\r');
}

describe('results (ORU^R01)', () => {
  let mrn = '';
  beforeAll(async () => {
    mrn = (await ctx.sql.query<{ mrn: string }>(`SELECT mrn FROM patients WHERE id = $1`, [ctx.ids.kinPatient])).rows[0]!.mrn;
  });
  const resultsOf = async (messageId: string) =>
    (
      await ctx.sql.query<{ code: string; value_numeric: string; source: string; status: string; patient_id: string }>(
        `SELECT t.code, r.value_numeric, r.source, r.status, r.patient_id FROM lab_results r JOIN lab_tests t ON t.id = r.test_id
          WHERE r.source_message_id = $1 ORDER BY t.code`,
        [messageId],
      )
    ).rows;
  const logged = async (control: string) =>
    (await ctx.sql.query(`SELECT * FROM hl7_messages WHERE control_id = $1`, [control])).rows[0] as Record<string, unknown>;

  it('records results for the patient our MRN names (LOINC codes), released, once even if delivered twice', async () => {
    const control = uniq();
    const message = oru({
      control,
      pid3: `${mrn}^^^SANITA^MR`,
      obx: [
        { code: '2823-3^Potassium^LN', value: '4.2', unit: 'mmol/L' },
        { code: '2951-2^Sodium^LN', value: '139', unit: 'mmol/L' },
      ],
    });
    const first = await send(message);
    expect(msa(first)).toEqual(['AA', control]);
    const row = await logged(control);
    expect(row).toMatchObject({ status: 'processed', patient_id: ctx.ids.kinPatient });
    const results = await resultsOf(row.id as string);
    expect(results.map((r) => [r.code, Number(r.value_numeric), r.source])).toEqual([
      ['K', 4.2, 'hl7'],
      ['NA', 139, 'hl7'],
    ]);
    expect(await send(message)).toBe(first);
    // sent again with a new MSH-7 (a sender that rebuilds its header): still the same message
    expect(await send(message.replace('|20260105101500|', '|20260105101731|'))).toBe(first);
    expect(await resultsOf(row.id as string)).toHaveLength(2);
    expect((await logged(control)).deliveries).toBe(3);
  });

  it('puts results for an unknown order in the unmatched queue, naming why; nothing is recorded', async () => {
    const control = uniq();
    const ack = await send(
      oru({ control, pid3: 'EXT-999^^^CITYLAB^MR', placer: 'NOPE-1', obx: [{ code: '2823-3^Potassium^LN', value: '5.1' }] }),
    );
    expect(msa(ack)).toEqual(['AA', control]);
    const queue = (await tech.req('GET', '/api/hl7/unmatched')).json<MessageList>();
    const entry = queue.data.find((m) => m.controlId === control)!;
    expect(entry).toMatchObject({ status: 'unmatched', placerOrderNumber: 'NOPE-1', patientIdentifier: 'EXT-999' });
    expect(entry.error).toContain('no order or patient matches');
    expect(await resultsOf(entry.id)).toHaveLength(0);

    // a patient or an order of another clinic is refused, naming the field
    const elsewhere = await tech.req(
      'POST',
      `/api/hl7/unmatched/${entry.id}/resolve`,
      { patientId: ctx.ids.gomPatient },
      { 'x-clinic-id': ctx.ids.kin },
    );
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().error.details[0].field).toBe('patientId');
    const noOrder = await tech.req('POST', `/api/hl7/unmatched/${entry.id}/resolve`, { orderNumber: 'LAB-GOM-0000001' });
    expect(noOrder.json().error.details[0].field).toBe('orderNumber');
    // the technician says whose it is: a patient of the clinic → recorded, out of the queue
    const resolved = await tech.req(
      'POST',
      `/api/hl7/unmatched/${entry.id}/resolve`,
      { patientId: ctx.ids.kinPatient },
      { 'x-clinic-id': ctx.ids.kin },
    );
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json<MessageDetail>()).toMatchObject({ status: 'processed', attempts: 2 });
    expect((await resultsOf(entry.id)).map((r) => r.code)).toEqual(['K']);
    const again = await tech.req('POST', `/api/hl7/unmatched/${entry.id}/resolve`, { patientId: ctx.ids.kinPatient });
    expect(again.json().error.code).toBe('HL7_NOT_UNMATCHED');
  });

  it('queues a sender code without a test; the technician maps it once, later messages use the mapping', async () => {
    const sender = `LAB${uniq()}`;
    const control = uniq();
    const ack = await send(
      oru({
        control,
        sender,
        pid3: `${mrn}^^^SANITA^MR`,
        obx: [{ code: 'GLU-F^Fasting glucose^L', value: '5.4', unit: 'mmol/L' }],
      }),
    );
    expect(msa(ack)[0]).toBe('AA');
    const [entry] = (await tech.req('GET', `/api/hl7/messages?q=${control}`)).json<MessageList>().data;
    expect(entry).toMatchObject({ status: 'unmatched' });
    expect(entry!.error).toContain('no test for GLU-F (L)');
    const detail = (await tech.req('GET', `/api/hl7/messages/${entry!.id}`)).json<MessageDetail>();
    expect(detail.unmapped).toEqual([{ code: 'GLU-F', text: 'Fasting glucose', system: 'L' }]);

    // resolving without the test still leaves it unmatched: 409 naming why, nothing kept
    const missing = await tech.req('POST', `/api/hl7/unmatched/${entry!.id}/resolve`, {});
    expect(missing.statusCode).toBe(409);
    expect(missing.json().error.code).toBe('HL7_UNRESOLVED');
    const glucose = (
      await ctx.sql.query<{ id: string }>(`SELECT id FROM lab_tests WHERE loinc = '2345-7' OR code = 'GLU' ORDER BY code LIMIT 1`)
    ).rows[0]!.id;
    const ok = await tech.req('POST', `/api/hl7/unmatched/${entry!.id}/resolve`, {
      mappings: [{ system: 'L', code: 'GLU-F', testId: glucose }],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<MessageDetail>().status).toBe('processed');
    const next = uniq();
    expect(
      msa(
        await send(
          oru({ control: next, sender, pid3: `${mrn}^^^SANITA^MR`, obx: [{ code: 'GLU-F^Fasting glucose^L', value: '6.0' }] }),
        ),
      )[0],
    ).toBe('AA');
    expect((await logged(next)).status).toBe('processed');
  });

  it('answers AE naming the OBX whose value is not a number; nothing is recorded; replay after the mapping fix works', async () => {
    const control = uniq();
    const ack = await send(oru({ control, pid3: `${mrn}^^^SANITA^MR`, obx: [{ code: '2823-3^Potassium^LN', value: 'high' }] }));
    expect(msa(ack)[0]).toBe('AE');
    expect(err(ack)).toMatch(/OBX\^1\^5\|102\^Data type error/);
    expect((await logged(control)).status).toBe('error');

    // an unmapped code waits; the fix (a mapping added) then a replay records it
    const sender = `LAB${uniq()}`;
    const waiting = uniq();
    await send(
      oru({ control: waiting, sender, pid3: `${mrn}^^^SANITA^MR`, obx: [{ code: 'XK^Potassium^99LOCAL', value: '3.9' }] }),
    );
    const row = await logged(waiting);
    expect(row.status).toBe('unmatched');
    const potassium = (await ctx.sql.query<{ id: string }>(`SELECT id FROM lab_tests WHERE code = 'K'`)).rows[0]!.id;
    await ctx.sql.query(
      `INSERT INTO hl7_code_mappings (sending_application, system, code, test_id) VALUES ($1, '99LOCAL', 'XK', $2)`,
      [sender, potassium],
    );
    const replayed = await tech.req('POST', `/api/hl7/messages/${row.id as string}/replay`);
    expect(replayed.statusCode, replayed.body).toBe(200);
    expect(replayed.json<MessageDetail>()).toMatchObject({ status: 'processed', attempts: 2 });
    expect((await resultsOf(row.id as string)).map((r) => Number(r.value_numeric))).toEqual([3.9]);
  });

  it('parses the ORU samples (without the file byte-order mark): unmatched here, answered AA', async () => {
    for (const f of [
      'LAB-ORU-1.hl7',
      'LAB-ORU-2.hl7',
      'LRI_2.0-NG_CBC_Typ_Message.hl7',
      'ORU-R01-01.hl7',
      'ORU-R01-RMGEAD.hl7',
    ]) {
      const text = sample(f).replace(/^\uFEFF/, '');
      const ack = await send(text.replace(/\r?\n/g, '\r'));
      expect(msa(ack)[0], f).toBe('AA');
    }
  });
});

describe('the message log', () => {
  it('finds messages by control id, patient name and type, with parsed segments by position (audited)', async () => {
    const control = uniq();
    const family = `Log${uniq()}`;
    await send(adt('A04', { control, family, birth: '19800214' }));
    const since = await lastAuditId(ctx.sql);
    const list = (await tech.req('GET', `/api/hl7/messages?q=${control}`)).json<MessageList>();
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({
      controlId: control,
      messageType: 'ADT^A04',
      status: 'processed',
      ackCode: 'AA',
      direction: 'in',
    });
    expect(list.data[0]!.patient?.name).toContain(family);
    const byName = (await tech.req('GET', `/api/hl7/messages?q=${family}&type=ADT`)).json<MessageList>();
    expect(byName.data.map((m) => m.controlId)).toEqual([control]);
    const rejected = (await tech.req('GET', `/api/hl7/messages?status=rejected&limit=200`)).json<MessageList>();
    expect(rejected.data.length).toBeGreaterThan(0);
    expect(rejected.data.every((m) => m.status === 'rejected' && m.ackCode === 'AR')).toBe(true);

    const res = await tech.req('GET', `/api/hl7/messages/${list.data[0]!.id}`);
    expect(res.statusCode).toBe(200);
    const detail = res.json<MessageDetail>();
    expect(detail.raw.startsWith('MSH|^~\\&|REGAPP')).toBe(true);
    expect(detail.ack).toMatch(new RegExp(`MSA\\|AA\\|${control}`));
    const pid = detail.segments.find((s) => s.name === 'PID')!;
    expect(pid.fields.find((f) => f.position === 'PID-5')).toMatchObject({ components: [family, 'Amani', '', '', '', '', 'L'] });
    expect(pid.fields.find((f) => f.position === 'PID-7')?.value).toBe('19800214');
    const rows = await auditSince(ctx.sql, since);
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['hl7.message.search', 'hl7.message.read']));
    expect(rows.find((r) => r.action === 'hl7.message.read')?.patient_id).toBe(list.data[0]!.patient!.id);
  });

  it("shows a clinic's staff its messages and those naming no clinic, not another clinic's", async () => {
    const control = uniq();
    await send(adt('A04', { control, family: `Scope${uniq()}` }));
    const mine = (await tech.req('GET', `/api/hl7/messages?q=${control}`)).json<MessageList>().data;
    expect(mine).toHaveLength(1);
    // the same message, had it been Goma's: neither listed, nor read, nor replayed by a Kinshasa technician
    await ctx.sql.query(`UPDATE hl7_messages SET clinic_id = $2 WHERE id = $1`, [mine[0]!.id, ctx.ids.gom]);
    expect((await tech.req('GET', `/api/hl7/messages?q=${control}`)).json<MessageList>().data).toEqual([]);
    expect((await tech.req('GET', `/api/hl7/messages/${mine[0]!.id}`)).statusCode).toBe(404);
    expect((await tech.req('POST', `/api/hl7/messages/${mine[0]!.id}/replay`)).statusCode).toBe(404);
    // a message naming no clinic (one that matched nobody) stays in every clinic's view
    await ctx.sql.query(`UPDATE hl7_messages SET clinic_id = NULL WHERE id = $1`, [mine[0]!.id]);
    expect((await tech.req('GET', `/api/hl7/messages/${mine[0]!.id}`)).statusCode).toBe(200);
  });

  it('keeps the log to those allowed: a doctor gets 403', async () => {
    expect((await doctor.req('GET', '/api/hl7/messages')).statusCode).toBe(403);
    expect((await doctor.req('GET', '/api/hl7/unmatched')).statusCode).toBe(403);
  });

  it('replays a failed message after the fix: one more attempt on the same entry', async () => {
    // ADT registrations go to a clinic that does not exist yet: AE, nothing written
    const other = await createTestContext({ hl7AdtClinic: 'NEW' });
    try {
      const addr = await other.app.services.hl7Listener.start({ port: 0, host: '127.0.0.1' });
      const family = `Replay${uniq()}`;
      const control = uniq();
      const ack = await new Promise<string>((resolve) => {
        const s = net.createConnection({ host: '127.0.0.1', port: addr!.port });
        let b = '';
        s.on('data', (d) => {
          b += d.toString();
          if (b.includes(END)) {
            s.end();
            resolve(b);
          }
        });
        s.write(VT + adt('A04', { family, control }) + END);
      });
      expect(msa(ack)[0]).toBe('AE');
      expect(err(ack)).toContain('207^Application internal error');
      const admin = await other.login('admin@sanita.test');
      const [entry] = (await admin.req('GET', `/api/hl7/messages?q=${control}`)).json<MessageList>().data;
      expect(entry).toMatchObject({ status: 'error', attempts: 1 });
      expect(entry!.error).toContain('no clinic NEW');
      expect((await other.sql.query(`SELECT 1 FROM patients WHERE family_name = $1`, [family])).rowCount).toBe(0);

      // the fix: the clinic exists now
      await other.sql.query(
        `INSERT INTO clinics (code, name, mrn_prefix, timezone, currencies)
         SELECT 'NEW', 'New clinic', 'NEW', timezone, currencies FROM clinics WHERE code = 'KIN'`,
      );
      const replayed = await admin.req('POST', `/api/hl7/messages/${entry!.id}/replay`);
      expect(replayed.statusCode).toBe(200);
      expect(replayed.json<MessageDetail>()).toMatchObject({ id: entry!.id, status: 'processed', attempts: 2, ackCode: 'AA' });
      expect(replayed.json<MessageDetail>().resolvedBy?.id).toBe(admin.userId);
      expect((await other.sql.query(`SELECT 1 FROM patients WHERE family_name = $1`, [family])).rowCount).toBe(1);
      // the registration belongs to the new clinic now: its messages are that clinic's staff's
      expect((await admin.req('POST', `/api/hl7/messages/${entry!.id}/replay`)).statusCode).toBe(404);
      // and a processed message is not replayed, even where it is seen
      await other.sql.query(`UPDATE hl7_messages SET clinic_id = NULL WHERE id = $1`, [entry!.id]);
      const again = await admin.req('POST', `/api/hl7/messages/${entry!.id}/replay`);
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('HL7_NOT_REPLAYABLE');
    } finally {
      await other.close();
    }
  }, 60_000);
});

describe('outbound orders (ORM^O01)', () => {
  it('sends a new lab order to the laboratory system, retried while it is unreachable', async () => {
    const received: string[] = [];
    let answer: 'AA' | 'AR' = 'AA';
    const lis = new MllpServer({
      port: 0,
      host: '127.0.0.1',
      maxBytes: 1 << 20,
      log: ctx.app.log,
      handle: async (text) => {
        received.push(text);
        return Hl7Message.parse(text).buildAck({ ackCode: answer }).toString();
      },
      tooLarge: () => '',
    });
    const { port: lisPort } = await lis.listen();
    const other = await createTestContext({ hl7LisHost: '127.0.0.1', hl7LisPort: lisPort });
    try {
      const doc = await other.login('doctor@sanita.test');
      const k = (await other.sql.query<{ id: string }>(`SELECT id FROM lab_tests WHERE code = 'K'`)).rows[0]!.id;
      const order = async () => {
        const enc = (
          await other.sql.query<{ id: string }>(
            `INSERT INTO encounters (clinic_id, patient_id, type, status, started_by)
             SELECT $1, $2, 'outpatient', 'in_progress', id FROM users WHERE email = 'doctor@sanita.test' RETURNING id`,
            [other.ids.kin, other.ids.kinPatient],
          )
        ).rows[0]!.id;
        const res = await doc.req(
          'POST',
          `/api/patients/${other.ids.kinPatient}/lab-orders`,
          { encounterId: enc, testIds: [k], priority: 'urgent' },
          { 'x-clinic-id': other.ids.kin },
        );
        expect(res.statusCode, res.body).toBe(201);
        return res.json<{ id: string; number: string }>();
      };
      const statusOf = async (orderId: string) =>
        (
          await other.sql.query(
            `SELECT status, ack_code, error, attempts, raw FROM hl7_messages WHERE order_id = $1 AND direction = 'out'`,
            [orderId],
          )
        ).rows[0] as { status: string; ack_code: string | null; error: string | null; attempts: number; raw: string } | undefined;
      const until = async (orderId: string, status: string) => {
        for (let i = 0; i < 100; i++) {
          const row = await statusOf(orderId);
          if (row?.status === status) return row;
          await new Promise((r) => setTimeout(r, 200));
        }
        throw new Error(`${orderId} never ${status}: ${JSON.stringify(await statusOf(orderId))}`);
      };

      const first = await order();
      const sent = await until(first.id, 'sent');
      expect(sent.ack_code).toBe('AA');
      const orm = received.find((m) => m.includes(first.number))!;
      expect(orm).toMatch(/^MSH\|\^~\\&\|SANITA\|KIN\|LIS\|\|\d{14}\|\|ORM\^O01\^ORM_O01\|/);
      expect(orm).toContain(`ORC|NW|${first.number}|`);
      expect(orm).toMatch(/OBR\|1\|LAB-KIN-\d+\|\|2823-3\^[^|]+\^LN\^K\^/);
      // it is in the log with the received messages
      const admin = await other.login('admin@sanita.test');
      const logged = (await admin.req('GET', '/api/hl7/messages?direction=out')).json<MessageList>();
      expect(logged.data[0]).toMatchObject({ messageType: 'ORM^O01', status: 'sent', placerOrderNumber: first.number });

      // refused by the laboratory system: failed, not retried
      answer = 'AR';
      const refused = await order();
      expect((await until(refused.id, 'failed')).ack_code).toBe('AR');

      // unreachable: retried by the job queue
      await lis.close();
      const later = await order();
      const retrying = await until(later.id, 'retrying');
      expect(retrying.error).toContain('did not answer');
    } finally {
      await other.close();
      await lis.close();
    }
  }, 90_000);
});
