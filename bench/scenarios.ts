import { randomUUID } from 'node:crypto';
import type { BenchChart, BenchPatient, BenchScheduling } from './dataset.ts';
import type { HttpClient, Response } from './http.ts';
import { FAMILY, GIVEN_F, GIVEN_M, pick, randomPerson, typo, type Rand } from './people.ts';
import { CASHIERS, CLINICIANS, DOCTORS, PHARMACISTS, type Account } from './sessions.ts';
import { CHECK_ITEMS, type BenchMedications } from './medications-data.ts';
import type { BenchLab } from './lab-data.ts';
import type { BenchBilling } from './billing-data.ts';
import { draftSections, generateNote } from './chart-text.ts';

/**
 * The benchmark's scenarios. A later capability adds its own by appending an entry here: the
 * paced phase mixes every scenario by weight, the saturation phase drives each `read` one alone.
 */

export interface ScenarioContext {
  rand: Rand;
  /** active patients registered at Kinshasa, the clinic of the benchmark's users */
  kin: readonly BenchPatient[];
  scheduling: BenchScheduling;
  /** the two measured charts, and the drafts the write scenarios take (a draft being written is out of the list) */
  chart: BenchChart;
  /** the measured patient of the checks, formulary ids, and the active prescriptions left to dispense */
  medications: BenchMedications;
  /** the panels a doctor orders, and Kinshasa patients with released lab results */
  lab: BenchLab;
  /** invoices to open and to pay, draft claims to submit */
  billing: BenchBilling;
}

export interface BenchRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Sends one request of a several-request scenario; an answer that is neither 2xx nor expected ends the
 * scenario as an error. `untimed`: a step that only prepares what the action is about (the draft a
 * prescription.sign then signs), left out of the scenario's time when it succeeds.
 */
export type Send = (req: BenchRequest, keepBody?: boolean, untimed?: boolean) => Promise<Response>;

interface ScenarioBase {
  /** `<domain>.<action>[.<variant>]` */
  name: string;
  /** relative frequency in the paced mix */
  weight: number;
  /** read scenarios also get a closed-loop saturation run */
  kind: 'read' | 'write';
  /** non-2xx statuses that are a correct answer, not an error (a slot someone else just booked: 409) */
  expected?: number[];
  /** the accounts whose sessions may do it (default: any); a chart needs a clinician, a note a doctor */
  as?: readonly Account[];
}

/**
 * A scenario is one request, or a user's action made of several (`run`: opening a chart asks for the
 * patient, then for every part of the chart at once), timed as a whole from its first request to its last answer.
 */
export type Scenario = ScenarioBase &
  (
    | { request(ctx: ScenarioContext): BenchRequest; run?: never }
    | { run(ctx: ScenarioContext, send: Send): Promise<void>; request?: never }
  );

export interface Outcome {
  ms: number;
  /** why it failed, or null */
  error: string | null;
  /** answered with a status the scenario expects besides 2xx */
  expected: boolean;
}

class Failure extends Error {}

/** Does `s` once with `token` and times it on the client. A network error or an unexpected status is the outcome's error. */
export async function perform(s: Scenario, ctx: ScenarioContext, http: HttpClient, token: string): Promise<Outcome> {
  let expected = false;
  let untimedNs = 0n;
  const send: Send = async (req, keepBody = false, untimed = false) => {
    const sent = process.hrtime.bigint();
    const res = await http.send(req, token, keepBody).catch((err: unknown) => {
      throw new Failure(`network: ${(err as Error).message}`);
    });
    // an untimed step that is refused (409) is the outcome itself, and timed
    if (untimed && res.status < 300) untimedNs += process.hrtime.bigint() - sent;
    if (res.status >= 200 && res.status < 300) return res;
    if (s.expected?.includes(res.status)) {
      expected = true;
      return res;
    }
    throw new Failure(
      `${s.run ? `${req.method} ${req.path.replace(/[0-9a-f-]{36}/g, ':id')}: ` : ''}${res.status} ${res.body.slice(0, 200)}`,
    );
  };
  const start = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - start - untimedNs) / 1e6;
  try {
    if (s.run) await s.run(ctx, send);
    else await send(s.request(ctx));
    return { ms: ms(), error: null, expected };
  } catch (err) {
    return { ms: ms(), error: err instanceof Failure ? err.message : `bench: ${(err as Error).message}`, expected };
  }
}

const anyPatient = (ctx: ScenarioContext): BenchPatient => pick(ctx.rand, ctx.kin);
const q = (text: string) => `/api/patients?q=${encodeURIComponent(text)}`;

/** What a receptionist types to find someone by name. */
function nameQuery(ctx: ScenarioContext): string {
  const { rand } = ctx;
  // mostly people who exist; sometimes a name that matches nobody exactly
  const p = rand() < 0.8 ? anyPatient(ctx) : { givenName: pick(rand, [...GIVEN_F, ...GIVEN_M]), familyName: pick(rand, FAMILY) };
  const r = rand();
  if (r < 0.3) return p.familyName; // "Kabamba"
  if (r < 0.6) return `${p.givenName} ${p.familyName}`; // "Grâce Kabamba"
  if (r < 0.7) return `${p.familyName} ${p.givenName}`.toLowerCase(); // "kabamba grâce"
  if (r < 0.8) return `${p.givenName} ${p.familyName}`.normalize('NFD').replace(/\p{M}+/gu, ''); // "Grace Kabamba"
  if (r < 0.9) return `${p.givenName} ${typo(rand, p.familyName)}`; // "Grâce Kabmaba"
  return p.familyName.slice(0, Math.max(4, Math.ceil(p.familyName.length * 0.7))); // "Kabam"
}

/** An MRN as printed on the card, or as typed (lower case, no dashes). */
function mrnQuery(ctx: ScenarioContext): string {
  const mrn = anyPatient(ctx).mrn;
  return ctx.rand() < 0.7 ? mrn : mrn.replace(/-/g, '').toLowerCase();
}

/** A phone number in the international or the local form. */
function phoneQuery(ctx: ScenarioContext): string {
  const phone = anyPatient(ctx).phone;
  const r = ctx.rand();
  if (r < 0.5) return `0${phone.slice(4)}`; // 0812345678
  if (r < 0.8) return phone; // +243812345678
  return `+243 ${phone.slice(4, 6)} ${phone.slice(6, 9)} ${phone.slice(9)}`; // +243 81 234 5678
}

const DAY_MS = 86_400_000;
/** Kinshasa is UTC+1 all year */
const KIN_OFFSET_MS = 3_600_000;
const localDate = (ms: number) => new Date(ms + KIN_OFFSET_MS).toISOString().slice(0, 10);

/** A start on the 20-minute grid of the bench templates, 61–400 days ahead (past the generated bookings), Monday–Friday. */
function futureSlot(ctx: ScenarioContext): string {
  const { rand } = ctx;
  for (;;) {
    const day = Math.floor((Date.now() + KIN_OFFSET_MS) / DAY_MS) + 61 + Math.floor(rand() * 340);
    const weekday = new Date(day * DAY_MS).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const slot = Math.floor(rand() * 24);
    const localMin = slot < 12 ? 8 * 60 + slot * 20 : 13 * 60 + (slot - 12) * 20;
    return new Date(day * DAY_MS + localMin * 60_000 - KIN_OFFSET_MS).toISOString();
  }
}

const get = (path: string): BenchRequest => ({ method: 'GET', path });

/**
 * Opening a patient's chart as the web does (measured in Chromium, a doctor's and a nurse's): the patient
 * first (the page waits for it), then every banner item and summary card at once — allergies, open NEWS2
 * alerts, the latest vitals, recent encounters, problems, immunizations, the latest documents — and here
 * also the timeline's first page (its tab asks for it alone).
 */
async function openChart(patientId: string, send: Send): Promise<void> {
  const p = `/api/patients/${patientId}`;
  await send(get(p));
  await Promise.all(
    [
      `${p}/allergies`,
      `${p}/news2-alerts?status=open`,
      `${p}/vitals?limit=20`,
      `${p}/encounters?limit=20`,
      `${p}/problems`,
      `${p}/immunizations`,
      `${p}/documents?limit=3`,
      `${p}/timeline?limit=30`,
    ].map((path) => send(get(path))),
  );
}

/** A draft nobody else is writing: out of the pool until the scenario gives it back (a signed one never is). */
function takeDraft(ctx: ScenarioContext) {
  const { drafts } = ctx.chart;
  if (!drafts.length) throw new Error('no draft left to write: the dataset tops up the pool at the start of each run');
  const i = Math.floor(ctx.rand() * drafts.length);
  const d = drafts[i]!;
  drafts[i] = drafts[drafts.length - 1]!;
  drafts.pop();
  return d;
}

/*
 * The chart scenarios' weights keep the paced load below what the machine serves: a chart open is nine
 * audited requests (about 25–35 ms of CPU on the bench's two cores), and at 4 + 4 opens, 10 saves and
 * 3 signings in the mix the 700 users asked for more than it could do (every p50 at 2 s, 139 actions
 * served per second). At these, 700 users open about 3 large and 3 small charts, autosave 8 drafts and
 * sign 3 notes per second.
 */
const diagnosesOf = (codes: string[]) => codes.map((code, i) => ({ code, rank: i === 0 ? 'primary' : 'secondary' }));

/** A prescription item as the prescribing panel sends it: `times` doses a day for 5 days. */
const rxItem = (
  formularyItemId: string,
  dose: { amount: number; unit: string },
  times: number,
  quantity: number,
  unit: string,
) => ({
  formularyItemId,
  dose,
  frequency: { kind: 'times_per_day', times, asNeeded: false },
  durationDays: 5,
  quantity,
  quantityUnit: unit,
});

/** The 409 a scenario expects, by its error code; any other 409 is an error. */
function expect409(res: { status: number; body: string }, code: string): void {
  if (res.status !== 409) return;
  const got = (JSON.parse(res.body) as { error?: { code?: string } }).error?.code;
  if (got !== code) throw new Error(`409 ${got ?? res.body.slice(0, 200)} (only ${code} is expected)`);
}

/** An active prescription's item nobody else is dispensing: out of the pool until the dispense answers. */
function takeDispensable(ctx: ScenarioContext) {
  const pool = ctx.medications.dispensable;
  if (!pool.length)
    throw new Error('no active prescription left to dispense: the dataset tops up the pool at the start of each run');
  const i = Math.floor(ctx.rand() * pool.length);
  const d = pool[i]!;
  pool[i] = pool[pool.length - 1]!;
  pool.pop();
  return d;
}

export const scenarios: Scenario[] = [
  {
    name: 'patient.register',
    weight: 10,
    kind: 'write',
    request: ({ rand }) => {
      const p = randomPerson(rand, false);
      return {
        method: 'POST',
        path: '/api/patients',
        body: {
          ...p,
          middleName: p.middleName ?? undefined,
          email: p.email ?? undefined,
          nationalId: p.nationalId ?? undefined,
          bloodType: p.bloodType ?? undefined,
          allowDuplicate: true,
        },
      };
    },
  },
  { name: 'patient.search.name', weight: 35, kind: 'read', request: (ctx) => ({ method: 'GET', path: q(nameQuery(ctx)) }) },
  { name: 'patient.search.mrn', weight: 15, kind: 'read', request: (ctx) => ({ method: 'GET', path: q(mrnQuery(ctx)) }) },
  { name: 'patient.search.phone', weight: 10, kind: 'read', request: (ctx) => ({ method: 'GET', path: q(phoneQuery(ctx)) }) },
  {
    name: 'patient.read',
    weight: 30,
    kind: 'read',
    request: (ctx) => ({ method: 'GET', path: `/api/patients/${anyPatient(ctx).id}` }),
  },
  {
    // the check the registration form runs before saving
    name: 'patient.duplicates',
    weight: 5,
    kind: 'read',
    request: (ctx) => {
      const { rand } = ctx;
      const p = rand() < 0.5 ? anyPatient(ctx) : randomPerson(rand, false);
      const phone = 'phone' in p ? p.phone : p.phones[0]!;
      const params = new URLSearchParams({ givenName: p.givenName, familyName: p.familyName, birthDate: p.birthDate, phone });
      return { method: 'GET', path: `/api/patients/duplicates?${params.toString()}` };
    },
  },
  {
    // a receptionist (or a patient in the portal) opens a practitioner's next two weeks
    name: 'scheduling.slots',
    weight: 10,
    kind: 'read',
    request: (ctx) => {
      const { scheduling: s } = ctx;
      const params = new URLSearchParams({
        clinicId: s.clinicId,
        visitTypeId: s.visitTypeId,
        from: localDate(Date.now()),
        to: localDate(Date.now() + 13 * DAY_MS),
      });
      return { method: 'GET', path: `/api/practitioners/${pick(ctx.rand, s.practitionerIds)}/slots?${params.toString()}` };
    },
  },
  {
    name: 'scheduling.book',
    weight: 5,
    kind: 'write',
    expected: [409],
    request: (ctx) => ({
      method: 'POST',
      path: '/api/appointments',
      body: {
        patientId: anyPatient(ctx).id,
        practitionerId: pick(ctx.rand, ctx.scheduling.practitionerIds),
        visitTypeId: ctx.scheduling.visitTypeId,
        startsAt: futureSlot(ctx),
        reason: 'Benchmark booking',
      },
    }),
  },
  {
    // a clinician opens the chart of a patient with 1,000 consultations: its cost must not grow with the history
    name: 'chart.open',
    weight: 1,
    kind: 'read',
    as: CLINICIANS,
    run: (ctx, send) => openChart(ctx.chart.largePatientId, send),
  },
  {
    name: 'chart.open.small',
    weight: 1,
    kind: 'read',
    as: CLINICIANS,
    run: (ctx, send) => openChart(ctx.chart.smallPatientId, send),
  },
  {
    // the consultation page's autosave, at the version read, of a draft a bench practitioner's consultation has open
    name: 'encounter.note.save',
    weight: 3,
    kind: 'write',
    as: DOCTORS,
    run: async (ctx, send) => {
      const d = takeDraft(ctx);
      const note = generateNote(ctx.rand);
      const res = await send(
        {
          method: 'PUT',
          path: `/api/encounters/${d.encounterId}/note`,
          body: {
            version: d.version,
            template: 'general',
            sections: { ...draftSections(ctx.rand), objective: note.sections.objective },
            patientSummary: null,
            diagnoses: ctx.rand() < 0.5 ? diagnosesOf(note.codes.slice(0, 1)) : [],
          },
        },
        true,
      );
      ctx.chart.drafts.push({ ...d, version: (JSON.parse(res.body) as { version: number }).version });
    },
  },
  {
    // the end of a consultation: vitals recorded and the note's last save with its diagnoses, then signing
    // (irreversible: the draft leaves the pool for good)
    name: 'encounter.sign',
    weight: 1,
    kind: 'write',
    as: DOCTORS,
    run: async (ctx, send) => {
      const d = takeDraft(ctx);
      const note = generateNote(ctx.rand);
      const [, saved] = await Promise.all([
        send({
          method: 'POST',
          path: `/api/patients/${d.patientId}/vitals`,
          body: {
            systolic: 110 + Math.floor(ctx.rand() * 40),
            diastolic: 70 + Math.floor(ctx.rand() * 20),
            heartRate: 60 + Math.floor(ctx.rand() * 40),
            respiratoryRate: 12 + Math.floor(ctx.rand() * 8),
            temperature: 36.5 + Math.round(ctx.rand() * 15) / 10,
            spo2: 95 + Math.floor(ctx.rand() * 5),
            onOxygen: false,
            consciousness: 'A',
            weightKg: 50 + Math.floor(ctx.rand() * 40),
            heightCm: 155 + Math.floor(ctx.rand() * 30),
          },
        }),
        send(
          {
            method: 'PUT',
            path: `/api/encounters/${d.encounterId}/note`,
            body: {
              version: d.version,
              template: 'general',
              sections: note.sections,
              patientSummary: note.patientSummary,
              diagnoses: diagnosesOf(note.codes),
            },
          },
          true,
        ),
      ]);
      const { version } = JSON.parse(saved.body) as { version: number };
      await send({ method: 'POST', path: `/api/encounters/${d.encounterId}/note/sign`, body: { version } });
    },
  },
  {
    // the checks of five items as the prescriber types them, asked of the server, for the patient with 10
    // current medications and 5 allergies (the answer: interactions with warfarin, a penicillin allergy's
    // cross-sensitivity to ceftriaxone, duplicate NSAIDs…)
    name: 'medications.check',
    weight: 3,
    kind: 'read',
    as: CLINICIANS,
    run: async (ctx, send) => {
      const f = ctx.medications.formulary;
      await send({
        method: 'POST',
        path: `/api/patients/${ctx.medications.measuredPatientId}/medication-checks`,
        body: { items: CHECK_ITEMS.map((i) => rxItem(f[i.code]!, i.dose, i.times, 10, 'tablet')) },
      });
    },
  },
  {
    // a doctor writes a prescription of one to three stocked products in a consultation in progress and signs
    // it; a blocking alert (an interaction with what the patient already takes) answers 409 MEDICATION_ALERTS
    name: 'prescription.sign',
    weight: 1,
    kind: 'write',
    as: DOCTORS,
    expected: [409],
    run: async (ctx, send) => {
      const d = takeDraft(ctx);
      try {
        const { stocked } = ctx.medications;
        const n = 1 + Math.floor(ctx.rand() * 3);
        const chosen = [...new Set(Array.from({ length: n }, () => pick(ctx.rand, stocked)))];
        const created = await send(
          {
            method: 'POST',
            path: `/api/encounters/${d.encounterId}/prescriptions`,
            body: { items: chosen.map((id) => rxItem(id, { amount: 1, unit: 'tablet' }, 2, 10, 'tablet')) },
          },
          true,
          // writing the draft is the prescribing panel's work (timed in medications.check's kind of load); this times the signature
          true,
        );
        expect409(created, 'MEDICATION_ALERTS');
        if (created.status === 409) return;
        const { id, version } = JSON.parse(created.body) as { id: string; version: number };
        const signed = await send({ method: 'POST', path: `/api/prescriptions/${id}/sign`, body: { version } }, true);
        expect409(signed, 'MEDICATION_ALERTS');
      } finally {
        // a prescription leaves the consultation open: its draft note goes back to the pool
        ctx.chart.drafts.push(d);
      }
    },
  },
  {
    // the pharmacist dispenses one tablet of an active prescription's item from stock (first expiry first out)
    name: 'pharmacy.dispense',
    weight: 2,
    kind: 'write',
    as: PHARMACISTS,
    run: async (ctx, send) => {
      const d = takeDispensable(ctx);
      await send({
        method: 'POST',
        path: `/api/pharmacy/prescriptions/${d.prescriptionId}/dispenses`,
        body: { items: [{ prescriptionItemId: d.itemId, quantity: 1 }] },
      });
      if (d.remaining > 1) ctx.medications.dispensable.push({ ...d, remaining: d.remaining - 1 });
    },
  },
  {
    // the doctor orders a panel (CBC, basic metabolic panel, lipids, urinalysis, CMP) from a consultation in progress
    name: 'lab.order',
    weight: 2,
    kind: 'write',
    as: DOCTORS,
    run: async (ctx, send) => {
      const d = takeDraft(ctx);
      try {
        await send({
          method: 'POST',
          path: `/api/patients/${d.patientId}/lab-orders`,
          body: { encounterId: d.encounterId, testIds: [pick(ctx.rand, ctx.lab.panels)], priority: 'routine' },
        });
      } finally {
        // an order leaves the consultation open: its draft note goes back to the pool
        ctx.chart.drafts.push(d);
      }
    },
  },
  {
    // a clinician opens a patient's results table (tests by collection day, the last 12 days with results)
    name: 'lab.results.read',
    weight: 4,
    kind: 'read',
    as: CLINICIANS,
    request: (ctx) => ({ method: 'GET', path: `/api/patients/${pick(ctx.rand, ctx.lab.resultPatients)}/lab-results/table` }),
  },
  {
    // the results table of the patient with 1,000 consultations, each with an order…
    name: 'lab.results.read.large',
    weight: 1,
    kind: 'read',
    as: CLINICIANS,
    request: (ctx) => ({ method: 'GET', path: `/api/patients/${ctx.chart.largePatientId}/lab-results/table` }),
  },
  {
    // …and of the patient with 10: the table's cost must not grow with the history
    name: 'lab.results.read.small',
    weight: 1,
    kind: 'read',
    as: CLINICIANS,
    request: (ctx) => ({ method: 'GET', path: `/api/patients/${ctx.chart.smallPatientId}/lab-results/table` }),
  },
  {
    // the cashier opens an invoice (lines, discounts, credit notes, totals)
    name: 'billing.invoice.open',
    weight: 3,
    kind: 'read',
    as: CASHIERS,
    request: (ctx) => ({ method: 'GET', path: `/api/billing/invoices/${pick(ctx.rand, ctx.billing.invoiceIds)}` }),
  },
  {
    // the cashier takes a part payment on an invoice with a balance, in its currency (USD) or in CDF at today's
    // rate, with an idempotency key as the desk sends it
    name: 'billing.payment',
    weight: 2,
    kind: 'write',
    as: CASHIERS,
    request: (ctx) => {
      const invoiceId = pick(ctx.rand, ctx.billing.payable);
      const cdf = ctx.rand() < 0.3;
      return {
        method: 'POST',
        path: '/api/payments',
        headers: { 'idempotency-key': `bench-${randomUUID()}` },
        body: {
          patientId: ctx.billing.patientOf[invoiceId],
          invoiceId,
          method: cdf ? 'cash' : pick(ctx.rand, ['cash', 'mobile_money', 'card'] as const),
          currency: cdf ? 'CDF' : 'USD',
          amount: cdf ? '2000' : '1',
        },
      };
    },
  },
  {
    // the cashier submits a draft claim: the server scores it for anomalies and appends it to the claim ledger
    name: 'claims.submit',
    weight: 1,
    kind: 'write',
    as: CASHIERS,
    run: async (ctx, send) => {
      const claim = ctx.billing.draftClaims.pop();
      if (!claim) throw new Error('no draft claim left to submit');
      await send({ method: 'POST', path: `/api/claims/${claim.id}/submit`, body: { version: claim.version } });
    },
  },
];

/** The scenarios `--scenario` selects (exact names or prefixes), with `--weights` applied. */
export function selectScenarios(filters: string[], weights: Record<string, number>): Scenario[] {
  for (const k of Object.keys(weights)) {
    if (!scenarios.some((s) => s.name === k)) throw new Error(`--weights: no scenario "${k}"`);
  }
  const chosen = scenarios
    .filter(
      (s) =>
        !filters.length ||
        filters.some((f) => s.name === f || s.name.startsWith(`${f}.`) || (f.endsWith('*') && s.name.startsWith(f.slice(0, -1)))),
    )
    .map((s) => ({ ...s, weight: weights[s.name] ?? s.weight }));
  // the phases that are not request mixes: the hello ceiling, live events, HL7 ingest
  const phases = ['hello', 'queue.event.fanout', 'hl7.oru.ingest', 'billing.report.revenue'];
  if (!chosen.length && !filters.some((f) => phases.some((p) => p === f || p.startsWith(f.replace(/\*$/, '')))))
    throw new Error(`--scenario ${filters.join(',')} matches none of: ${scenarios.map((s) => s.name).join(', ')}`);
  return chosen;
}
