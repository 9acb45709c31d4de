import crypto from 'node:crypto';
import { Hl7Field, Hl7Message, Hl7Segment } from '@medplum/core';
import type { ParsedSegment } from '@sanita/contracts/hl7';

/**
 * Reading HL7 v2 messages with @medplum/core's parser, and building their ACKs (v2.5.1 original
 * acknowledgement: MSA-1 AA / AE / AR, an ERR segment naming the problem with an HL7 table 0357 code).
 */

/** HL7 table 0357 (message error condition codes) used here. */
export const ERR = {
  segmentSequence: '100^Segment sequence error',
  requiredField: '101^Required field missing',
  dataType: '102^Data type error',
  tableValue: '103^Table value not found',
  unsupportedMessageType: '200^Unsupported message type',
  unsupportedEvent: '201^Unsupported event code',
  unsupportedProcessingId: '202^Unsupported processing id',
  unsupportedVersion: '203^Unsupported version id',
  unknownKey: '204^Unknown key identifier',
  internal: '207^Application internal error',
} as const;

/** What was wrong with a message, for its ACK and the log: where (e.g. `PID-5`), the 0357 code, a sentence. */
export interface Problem {
  ack: 'AE' | 'AR';
  /** segment and field, e.g. PID-7, or a segment name */
  location: string;
  code: (typeof ERR)[keyof typeof ERR];
  text: string;
}

export class MessageProblem extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.location}: ${problem.text}`);
  }
}
export const problem = (ack: 'AE' | 'AR', location: string, code: Problem['code'], text: string) =>
  new MessageProblem({ ack, location, code, text });

/** The header fields the log keeps, read as well as the message allows even when it is malformed. */
export interface Header {
  sendingApplication: string;
  sendingFacility: string;
  controlId: string;
  messageType: string;
  processingId: string;
  version: string;
}

/** Accepts CR, LF and CRLF between segments and drops blank lines; segments joined by CR. */
export function normalise(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .filter((s) => s.trim() !== '')
    .join('\r');
}

export function contentHash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/**
 * What identifies a delivery besides the sender and MSH-10: the message without MSH-7 (a sender
 * that rebuilds its header to send again changes the time, not the message).
 */
export function deliveryHash(text: string): string {
  if (!text.startsWith('MSH')) return contentHash(text);
  const fs = text.charAt(3);
  const end = text.indexOf('\r');
  const msh = end < 0 ? text : text.slice(0, end);
  const fields = msh.split(fs);
  // fields[6] is MSH-7 (fields[0] is 'MSH', fields[1] MSH-2)
  if (fields.length > 6) fields[6] = '';
  return contentHash(fields.join(fs) + (end < 0 ? '' : text.slice(end)));
}

/** Best-effort header of text that may not parse: split by its own field separator. */
function rawHeader(text: string): Header {
  const first = text.split('\r', 1)[0] ?? '';
  // without MSH first, nothing is known of the sender (not even its control id, so MSA-2 is empty)
  if (!first.startsWith('MSH'))
    return { sendingApplication: '', sendingFacility: '', controlId: '', messageType: '', processingId: '', version: '' };
  const fs = first.charAt(3);
  const cs = first.charAt(4) || '^';
  const f = first.split(fs);
  // MSH-1 is the separator itself: f[1] is MSH-2, f[n-1] is MSH-n
  const at = (n: number) => (f[n - 1] ?? '').slice(0, 200);
  const first1 = (v: string) => v.split(cs)[0] ?? '';
  const type = at(9).split(cs);
  return {
    sendingApplication: first1(at(3)),
    sendingFacility: first1(at(4)),
    controlId: at(10).slice(0, 199),
    messageType: type[0] ? [type[0], type[1]].filter(Boolean).join('^').slice(0, 20) : '',
    processingId: first1(at(11)),
    version: first1(at(12)),
  };
}

export interface Read {
  text: string;
  header: Header;
  message: Hl7Message | null;
  /** why it is rejected before any processing (AR), or null */
  problem: Problem | null;
}

const SUPPORTED: Record<string, readonly string[]> = { ORU: ['R01'], ADT: ['A01', 'A04', 'A08'] };

/**
 * Parses and checks the header (v2.5.1 §2.9.2: a message whose MSH cannot be validated — missing,
 * bad encoding characters, unsupported type, event, processing id or version — is answered AR).
 */
export function readMessage(raw: string): Read {
  const text = normalise(raw);
  const header = rawHeader(text);
  const fail = (location: string, code: Problem['code'], t: string): Read => ({
    text,
    header,
    message: null,
    problem: { ack: 'AR', location, code, text: t },
  });
  if (!text) return fail('MSH', ERR.segmentSequence, 'empty message');
  // a byte-order mark is a file's, not a message's: the first bytes on the wire must be MSH
  if (text.startsWith('\uFEFFMSH'))
    return fail('MSH', ERR.segmentSequence, 'a byte-order mark (U+FEFF) precedes MSH: the message must begin with MSH');
  if (!text.startsWith('MSH')) return fail('MSH', ERR.segmentSequence, 'the message does not begin with an MSH segment');
  const fs = text.charAt(3);
  const enc = text.slice(4, text.indexOf(fs, 4) < 0 ? 4 : text.indexOf(fs, 4));
  const chars = [fs, ...enc];
  if (
    /[A-Za-z0-9\r\s]/.test(fs) ||
    (enc.length !== 4 && enc.length !== 5) ||
    new Set(chars).size !== chars.length ||
    chars.some((c) => /[A-Za-z0-9\s]/.test(c))
  ) {
    return fail('MSH-2', ERR.dataType, 'the encoding characters (MSH-1, MSH-2) must be distinct separators such as |^~\\&');
  }
  let message: Hl7Message;
  try {
    message = Hl7Message.parse(text);
  } catch {
    return fail('MSH', ERR.segmentSequence, 'the message could not be parsed');
  }
  const bad = message.segments.find((s) => !/^[A-Z][A-Z0-9]{2}$/.test(s.name));
  if (bad) return { ...fail('MSH', ERR.segmentSequence, `a segment has no valid name (${bad.name.slice(0, 10)})`), message };
  const withMessage = (r: Read): Read => ({ ...r, message });
  if (!header.messageType) return withMessage(fail('MSH-9', ERR.requiredField, 'MSH-9 (message type) is missing'));
  if (!header.controlId) return withMessage(fail('MSH-10', ERR.requiredField, 'MSH-10 (message control id) is missing'));
  if (header.processingId && !['P', 'T', 'D'].includes(header.processingId))
    return withMessage(fail('MSH-11', ERR.unsupportedProcessingId, `processing id ${header.processingId} is not P, T or D`));
  if (!/^2\.\d/.test(header.version))
    return withMessage(fail('MSH-12', ERR.unsupportedVersion, `version ${header.version || '(none)'} is not HL7 v2`));
  const [type, event] = header.messageType.split('^') as [string, string | undefined];
  const events = SUPPORTED[type];
  if (!events) return withMessage(fail('MSH-9', ERR.unsupportedMessageType, `${type} messages are not handled here`));
  if (!event || !events.includes(event))
    return withMessage(
      fail(
        'MSH-9',
        ERR.unsupportedEvent,
        `${type}^${event ?? ''} is not handled here (only ${events.map((e) => `${type}^${e}`).join(', ')})`,
      ),
    );
  return { text, header, message, problem: null };
}

/** Escapes text for a field (HL7 escape sequences). */
export function escapeHl7(v: string): string {
  return v
    .replace(/\\/g, '\\E\\')
    .replace(/\|/g, '\\F\\')
    .replace(/\^/g, '\\S\\')
    .replace(/&/g, '\\T\\')
    .replace(/~/g, '\\R\\')
    .replace(/[\r\n]+/g, ' ');
}

/** Undoes HL7 escape sequences in a value read from a message. */
export function unescapeHl7(v: string): string {
  if (!v.includes('\\')) return v;
  return v.replace(/\\([FSTRE]|\.br|X[0-9A-Fa-f]*)\\/g, (_m, c: string) => {
    switch (c) {
      case 'F':
        return '|';
      case 'S':
        return '^';
      case 'T':
        return '&';
      case 'R':
        return '~';
      case 'E':
        return '\\';
      case '.br':
        return '\n';
      default:
        return Buffer.from(c.slice(1), 'hex').toString('latin1');
    }
  });
}

const DEFAULT_CONTEXT_MESSAGE = 'MSH|^~\\&|||||||ACK||P|2.5.1';

/**
 * The ACK of a message (its MSH swapped: our application answers the sender), MSA-1 the code,
 * MSA-2 its control id, and an ERR segment (v2.5.1: ERR-2 location, ERR-3 code^text^HL70357,
 * ERR-4 severity E, ERR-8 the sentence) for AE and AR.
 */
export function buildAck(read: Read, code: 'AA' | 'AE' | 'AR', p: Problem | null): string {
  let source = read.message;
  if (!source) {
    const h = read.header;
    source = Hl7Message.parse(DEFAULT_CONTEXT_MESSAGE);
    source.header.getField(3).setComponent(1, escapeHl7(h.sendingApplication));
    source.header.getField(4).setComponent(1, escapeHl7(h.sendingFacility));
    source.header.getField(10).setComponent(1, escapeHl7(h.controlId));
  }
  const ctx = source.context;
  const err = p
    ? new Hl7Segment(
        [
          'ERR',
          '',
          location(p.location, ctx.componentSeparator),
          `${p.code}^HL70357`.replace(/\^/g, ctx.componentSeparator),
          'E',
          '',
          '',
          '',
          escapeHl7(p.text),
        ],
        ctx,
      )
    : undefined;
  const ack = source.buildAck({ ackCode: code, errSegment: err });
  const msh = ack.header;
  if (!msh.getComponent(3, 1)) msh.getField(3).setComponent(1, 'SANITA');
  // a random control id (the library's is the millisecond clock, which repeats under load)
  msh.getField(10).setComponent(1, crypto.randomBytes(10).toString('hex'));
  if (!msh.getComponent(12, 1)) msh.getField(12).setComponent(1, '2.5.1');
  return ack.toString();
}

/** ERR-2 (ERL): segment^sequence^field from `PID-7` (or a bare segment name). */
function location(loc: string, cs: string): string {
  const m = /^([A-Z][A-Z0-9]{2})(?:-(\d+))?$/.exec(loc);
  if (!m) return '';
  return [m[1], '1', m[2] ?? ''].filter((x, i) => i < 2 || x).join(cs);
}

/** The segments of a message as fields by position (`PID-5`), for the log's view. */
export function parsedSegments(text: string): ParsedSegment[] {
  if (!text.startsWith('MSH')) return [];
  let message: Hl7Message;
  try {
    message = Hl7Message.parse(normalise(text));
  } catch {
    return [];
  }
  return message.segments.slice(0, 500).map((s) => {
    const fields: ParsedSegment['fields'] = [];
    const isMsh = s.name === 'MSH';
    // MSH-1 is the field separator: the library's field n of MSH is MSH-n
    const count = s.fields.length - 1;
    for (let i = 1; i <= count; i++) {
      const f = s.getField(i);
      const value = f?.toString() ?? '';
      if (!value) continue;
      fields.push({
        position: `${s.name}-${i}`,
        value: isMsh && i <= 2 ? value : value.slice(0, 2000),
        components: (f?.components[0] ?? []).map((c) => unescapeHl7(c).slice(0, 500)),
      });
    }
    return { name: s.name, fields };
  });
}

/** A component of a field (its first subcomponent), unescaped and trimmed ('' when absent). */
export function comp(s: Hl7Segment | undefined, field: number, component = 1, repetition = 0): string {
  if (!s) return '';
  try {
    const v = s.getComponent(field, component, undefined, repetition) ?? '';
    // the first subcomponent (e.g. the surname of FN, the namespace of HD)
    return unescapeHl7(v.split(s.context.subcomponentSeparator)[0] ?? '').trim();
  } catch {
    return '';
  }
}

/** The repetitions of a field (each as an Hl7Field of one repetition). */
export function repetitions(s: Hl7Segment | undefined, field: number): Hl7Field[] {
  if (!s) return [];
  const f = s.getField(field);
  if (!f) return [];
  return f.components.map((c) => new Hl7Field([c], s.context));
}

/**
 * An HL7 date/time (DTM: YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]) as ISO 8601; without an offset it is
 * read as UTC. Null when empty; throws a problem at `where` when malformed.
 */
export function hl7DateTime(v: string, where: string): string | null {
  if (!v) return null;
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/.exec(v);
  if (!m) throw problem('AE', where, ERR.dataType, `${v.slice(0, 30)} is not an HL7 date/time`);
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', , tz] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${tz ? `${tz.slice(0, 3)}:${tz.slice(3)}` : 'Z'}`;
  const t = new Date(iso);
  if (Number.isNaN(t.getTime()) || Number(y) < 1800 || Number(y) > 2199)
    throw problem('AE', where, ERR.dataType, `${v.slice(0, 30)} is not a valid date`);
  return t.toISOString();
}

/** An HL7 date (the first 8 digits of a DT/DTM) as YYYY-MM-DD. */
export function hl7Date(v: string, where: string): string | null {
  if (!v) return null;
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(v);
  if (!m) throw problem('AE', where, ERR.dataType, `${v.slice(0, 30)} is not an HL7 date (YYYYMMDD)`);
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const t = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== iso || Number(m[1]) < 1800)
    throw problem('AE', where, ERR.dataType, `${v.slice(0, 30)} is not a valid date`);
  return iso;
}
