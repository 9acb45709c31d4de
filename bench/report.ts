import fs from 'node:fs';
import path from 'node:path';
import type { PacedResult } from './paced.ts';
import type { SaturationResult } from './saturation.ts';
import { round } from './stats.ts';

export interface ScenarioReport {
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  rps: number | null;
  errors: number;
  saturationRps: number | null;
  ratioToCeiling: number | null;
}

export interface Goal {
  description: string;
  op: '<=' | '>=' | '==';
  target: number;
  actual: number | null;
  /** null when the run did not measure it (filtered out) */
  pass: boolean | null;
}

export interface BenchReport {
  startedAt: string;
  node: string;
  cpus: number;
  patients: number;
  users: number;
  ceiling: { rps: number | null };
  scenarios: Record<string, ScenarioReport>;
  serverRssIdleMb: number | null;
  goals: Record<string, Goal>;
  details: Record<string, unknown>;
}

export function buildScenarios(
  names: string[],
  paced: PacedResult | null,
  saturation: Map<string, SaturationResult>,
  ceiling: number | null,
): Record<string, ScenarioReport> {
  const out: Record<string, ScenarioReport> = {};
  for (const name of names) {
    const p = paced?.scenarios[name];
    const s = saturation.get(name);
    out[name] = {
      p50Ms: p ? p.p50Ms : null,
      p95Ms: p ? p.p95Ms : null,
      p99Ms: p ? p.p99Ms : null,
      rps: p ? p.rps : null,
      errors: (p?.errors ?? 0) + (s?.errors ?? 0),
      saturationRps: s ? s.rps : null,
      ratioToCeiling: s && ceiling ? round(s.rps / ceiling, 3) : null,
    };
  }
  return out;
}

/** The goals of the issues so far (SPEC §16): patients, then scheduling and live updates, then the clinical chart. */
export function evaluateGoals(
  r: Pick<BenchReport, 'scenarios' | 'serverRssIdleMb'>,
  measuredErrors: boolean,
): Record<string, Goal> {
  const goal = (description: string, op: Goal['op'], target: number, actual: number | null | undefined): Goal => {
    const a = actual ?? null;
    const pass = a === null ? null : op === '<=' ? a <= target : op === '>=' ? a >= target : a === target;
    return { description, op, target, actual: a, pass };
  };
  const sc = r.scenarios;
  const totalErrors = Object.values(sc).reduce((s, x) => s + x.errors, 0);
  return {
    'patient.register.p95Ms': goal('registration p95 under paced load', '<=', 25, sc['patient.register']?.p95Ms),
    'patient.search.name.p95Ms': goal('search by name p95 under paced load', '<=', 30, sc['patient.search.name']?.p95Ms),
    'patient.search.mrn.p95Ms': goal('search by MRN p95 under paced load', '<=', 10, sc['patient.search.mrn']?.p95Ms),
    'patient.read.p95Ms': goal('patient read p95 under paced load', '<=', 10, sc['patient.read']?.p95Ms),
    errors: goal(
      'no errors (non-2xx other than expected 409s, network, missed live events) in any phase',
      '==',
      0,
      measuredErrors ? totalErrors : null,
    ),
    'patient.read.ratioToCeiling': goal(
      'patient read saturation throughput / hello route',
      '>=',
      0.4,
      sc['patient.read']?.ratioToCeiling,
    ),
    serverRssIdleMb: goal('server RSS at idle after warm-up (MiB)', '<=', 250, r.serverRssIdleMb),
    'scheduling.slots.p95Ms': goal(
      'free slots of one practitioner over 14 days, p95 under paced load',
      '<=',
      20,
      sc['scheduling.slots']?.p95Ms,
    ),
    'scheduling.book.p95Ms': goal(
      'booking p95 under paced load (409s for taken slots included)',
      '<=',
      25,
      sc['scheduling.book']?.p95Ms,
    ),
    'queue.event.fanout.p95Ms': goal(
      'a queue event reaches every connected staff socket, p95 from the API call',
      '<=',
      50,
      sc['queue.event.fanout']?.p95Ms,
    ),
    'chart.open.p95Ms': goal(
      'opening the chart of a patient with 1,000 encounters (banner, summary, first timeline page), p95 under paced load',
      '<=',
      40,
      sc['chart.open']?.p95Ms,
    ),
    'chart.open.vsSmall': goal(
      "chart.open p95 / chart.open.small p95 (10 encounters): the chart's cost does not grow with the history",
      '<=',
      1.2,
      ratio(sc['chart.open']?.p95Ms, sc['chart.open.small']?.p95Ms),
    ),
    'encounter.sign.p95Ms': goal(
      'ending a consultation (vitals, the note with its diagnoses, signing), p95 under paced load',
      '<=',
      60,
      sc['encounter.sign']?.p95Ms,
    ),
    'medications.check.inProcess.p95Ms': goal(
      'the in-process check of 5 items against 10 current medications and 5 allergies, p95 (micro-benchmark)',
      '<=',
      2,
      sc['medications.check.inProcess']?.p95Ms,
    ),
    'medications.check.p95Ms': goal(
      'the server checks 5 items for the patient with 10 current medications and 5 allergies, p95 under paced load',
      '<=',
      40,
      sc['medications.check']?.p95Ms,
    ),
    'prescription.sign.p95Ms': goal(
      'signing a prescription written in a consultation (409s for blocking alerts included), p95 under paced load',
      '<=',
      40,
      sc['prescription.sign']?.p95Ms,
    ),
    'pharmacy.dispense.p95Ms': goal(
      'the pharmacist dispenses one item of an active prescription from stock, p95 under paced load',
      '<=',
      40,
      sc['pharmacy.dispense']?.p95Ms,
    ),
    'lab.order.p95Ms': goal(
      'ordering a panel from a consultation in progress, p95 under paced load',
      '<=',
      40,
      sc['lab.order']?.p95Ms,
    ),
    'lab.results.read.p95Ms': goal(
      "a patient's lab results table (tests by collection day), p95 under paced load",
      '<=',
      40,
      sc['lab.results.read']?.p95Ms,
    ),
    'hl7.oru.ingest.ten.perSecond': goal(
      'ORU^R01 over MLLP on ten connections in parallel, each waiting for its ACK: messages per second (every one ACKed AA and stored)',
      '>=',
      500,
      sc['hl7.oru.ingest.ten']?.rps,
    ),
    'billing.invoice.open.p95Ms': goal(
      'the cashier opens an invoice, p95 under paced load',
      '<=',
      40,
      sc['billing.invoice.open']?.p95Ms,
    ),
    'billing.payment.p95Ms': goal(
      "a payment with an idempotency key (USD, or CDF at the day's rate), p95 under paced load",
      '<=',
      40,
      sc['billing.payment']?.p95Ms,
    ),
    'claims.submit.p95Ms': goal(
      'submitting a claim (anomaly score, ledger event), p95 under paced load',
      '<=',
      40,
      sc['claims.submit']?.p95Ms,
    ),
    'billing.report.revenue.consolidated.p95Ms': goal(
      "a month's revenue by day over both clinics, measured alone, p95",
      '<=',
      500,
      sc['billing.report.revenue.consolidated']?.p95Ms,
    ),
    'lab.results.read.vsSmall': goal(
      'results table p95 of the patient with 1,000 consultations / of the one with 10: the cost does not grow with the history',
      '<=',
      1.2,
      ratio(sc['lab.results.read.large']?.p95Ms, sc['lab.results.read.small']?.p95Ms),
    ),
  };
}

const ratio = (a: number | null | undefined, b: number | null | undefined) => (a != null && b ? round(a / b, 3) : null);

export function writeReport(dir: string, report: BenchReport): string {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const file = path.join(dir, `${stamp}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

const fmt = (v: number | null, digits = 1) => (v === null ? '–' : v.toFixed(digits));

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function printReport(
  r: BenchReport,
  paced: PacedResult | null,
  sat: Map<string, SaturationResult>,
  ceiling: SaturationResult | null,
) {
  const rows = Object.entries(r.scenarios).map(([name, s]) => [
    name,
    fmt(s.p50Ms, 2),
    fmt(s.p95Ms, 2),
    fmt(s.p99Ms, 2),
    fmt(s.rps),
    String(s.errors),
    fmt(s.saturationRps, 0),
    s.ratioToCeiling === null ? '–' : `${(s.ratioToCeiling * 100).toFixed(1)}%`,
    sat.get(name) ? `${fmt(sat.get(name)!.p50Ms, 0)}/${fmt(sat.get(name)!.p99Ms, 0)}` : '–',
  ]);
  if (ceiling)
    rows.push([
      'hello (ceiling)',
      '–',
      '–',
      '–',
      '–',
      String(ceiling.errors),
      fmt(ceiling.rps, 0),
      '100.0%',
      `${ceiling.p50Ms}/${ceiling.p99Ms}`,
    ]);
  console.log(
    `\nSanita bench — ${r.patients} patients, ${r.users} users, node ${r.node}, ${r.cpus} CPUs, server RSS idle ${fmt(r.serverRssIdleMb)} MiB\n`,
  );
  console.log(table(['scenario', 'p50 ms', 'p95 ms', 'p99 ms', 'rps', 'errors', 'sat rps', 'vs hello', 'sat p50/p99 ms'], rows));
  if (paced) {
    console.log(
      `\npaced: ${paced.totalRps} req/s over ${paced.seconds} s; CPU (% of one core): server ${paced.cpu.serverPct}, ` +
        `postgres ${paced.cpu.postgresPct}, load generator ${paced.cpu.clientPct}, other processes ${paced.cpu.otherPct}; ` +
        `machine busy ${paced.cpu.machineBusyPct}% of all cores; ` +
        `generator event-loop delay p99 ${paced.clientLoopDelayP99Ms} ms`,
    );
  }
  if (sat.size || ceiling) {
    console.log('saturation CPU (% of one core: server / postgres / load generator / other processes):');
    for (const [name, s] of [...(ceiling ? ([['hello', ceiling]] as const) : []), ...sat]) {
      console.log(`  ${name.padEnd(24)} ${s.cpu.serverPct} / ${s.cpu.postgresPct} / ${s.cpu.clientPct} / ${s.cpu.otherPct}`);
    }
    console.log(
      '  (2 cores are shared by the server, PostgreSQL and the load generator: closed-loop numbers are relative, not absolute)',
    );
  }
  const expected = Object.entries(paced?.scenarios ?? {}).filter(([, s]) => s.expected);
  if (expected.length)
    console.log(
      `expected non-2xx answers (not errors): ${expected.map(([name, s]) => `${name} ${s.expected} of ${s.count}`).join(', ')}`,
    );
  console.log('\ngoals:');
  for (const [id, g] of Object.entries(r.goals)) {
    const verdict = g.pass === null ? 'n/a ' : g.pass ? 'PASS' : 'FAIL';
    console.log(`  ${verdict}  ${id.padEnd(28)} ${fmt(g.actual, 3).padStart(9)} ${g.op} ${g.target}   ${g.description}`);
  }
  const samples = Object.entries(paced?.scenarios ?? {}).filter(([, s]) => s.errorSamples.length);
  if (samples.length) {
    console.log('\nerror samples:');
    for (const [name, s] of samples) for (const e of s.errorSamples) console.log(`  ${name}: ${e}`);
  }
}
