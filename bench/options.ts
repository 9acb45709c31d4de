import { parseArgs } from 'node:util';

export interface BenchOptions {
  patients: number;
  /** appointments in the dataset */
  appointments: number;
  /** finished encounters in the dataset, each with a signed note, diagnoses and vitals */
  encounters: number;
  /** historical prescriptions in the dataset, one to three formulary items each */
  prescriptions: number;
  /** released lab results in the dataset (orders of panels and tests with their results) */
  labResults: number;
  /** issued invoices in the dataset (one per finished consultation at most) */
  invoices: number;
  /** insurance claims in the dataset */
  claims: number;
  /** sockets connected during the live-event phase (0 skips it) */
  sockets: number;
  /** ORU^R01 messages sent in each run of the HL7 ingest phase (0 skips it) */
  hl7: number;
  users: number;
  /** seconds of paced load */
  duration: number;
  /** seconds over which the paced users arrive, before the measured `duration` */
  ramp: number;
  /** seconds of closed-loop load per scenario (0 skips the saturation phase) */
  saturation: number;
  /** scenario names (or prefixes) to run; empty means all */
  scenarios: string[];
  fresh: boolean;
  /** how many login sessions the virtual users share */
  sessions: number;
  /** autocannon connections in the saturation phase */
  connections: number;
  /** DATABASE_POOL_SIZE for the server; undefined keeps the server's default */
  pool: number | undefined;
  /** overrides of scenario weights, e.g. { 'patient.read': 40 } */
  weights: Record<string, number>;
  seed: number;
  /** wait up to this many seconds for the machine to be quiet before each phase */
  waitQuiet: number;
  /** write a V8 CPU profile of the server to bench/.cache/profiles */
  profile: boolean;
}

const HELP = `npm run bench -- [options]

  --patients N      patients in the dataset (default 100000)
  --appointments N  appointments in the dataset (default 500000)
  --encounters N    encounters with notes, diagnoses and vitals in the dataset (default 1000000)
  --prescriptions N historical prescriptions in the dataset (default 300000)
  --lab-results N   released lab results in the dataset (default 2000000)
  --invoices N      issued invoices in the dataset, at most one per finished consultation (default 1000000)
  --claims N        insurance claims in the dataset (default 300000)
  --sockets N       staff sockets listening during the live-event phase (default 500; 0 skips it)
  --hl7 N           ORU^R01 messages per run of the HL7 ingest phase, on one connection then on ten (default 3000; 0 skips it)
  --users N         virtual users in the paced phase (default 700)
  --duration S      seconds of paced load (default 60)
  --ramp S          seconds over which the users arrive before the measured load (default 10)
  --saturation S    seconds of closed-loop load per read scenario and the hello route (default 10; 0 skips)
  --scenario NAME   only these scenarios (comma-separated names or prefixes, e.g. patient.search)
  --fresh           rebuild the dataset even if a large enough one exists
  --sessions N      login sessions shared round-robin by the virtual users (default 50)
  --connections N   connections of the saturation load (default 64)
  --pool N          DATABASE_POOL_SIZE passed to the server (default: the server's own)
  --weights LIST    scenario weights, e.g. patient.read=40,patient.register=5
  --seed N          seed of the request generator (default 1)
  --wait-quiet S    before each phase, wait up to S s for other processes to leave the CPU idle (default 0)
  --profile         record a V8 CPU profile of the server (bench/.cache/profiles/*.cpuprofile)

Environment: BENCH_DATABASE_URL or DATABASE_URL (a PostgreSQL server where the database
"sanita_bench" is created); without either an embedded PostgreSQL runs in bench/.cache/pg.`;

function int(name: string, v: string | undefined, d: number, min = 0): number {
  if (v === undefined) return d;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${v}`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      patients: { type: 'string' },
      appointments: { type: 'string' },
      encounters: { type: 'string' },
      prescriptions: { type: 'string' },
      'lab-results': { type: 'string' },
      invoices: { type: 'string' },
      claims: { type: 'string' },
      sockets: { type: 'string' },
      hl7: { type: 'string' },
      users: { type: 'string' },
      duration: { type: 'string' },
      ramp: { type: 'string' },
      saturation: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      fresh: { type: 'boolean', default: false },
      sessions: { type: 'string' },
      connections: { type: 'string' },
      pool: { type: 'string' },
      weights: { type: 'string' },
      seed: { type: 'string' },
      'wait-quiet': { type: 'string' },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const weights: Record<string, number> = {};
  for (const pair of (values.weights ?? '').split(',').filter(Boolean)) {
    const [k, v] = pair.split('=');
    const w = Number(v);
    if (!k || !Number.isFinite(w) || w < 0) throw new Error(`--weights: bad entry "${pair}" (want name=number)`);
    weights[k.trim()] = w;
  }
  return {
    patients: int('patients', values.patients, 100_000, 1),
    appointments: int('appointments', values.appointments, 500_000, 0),
    encounters: int('encounters', values.encounters, 1_000_000, 1010),
    prescriptions: int('prescriptions', values.prescriptions, 300_000, 0),
    labResults: int('lab-results', values['lab-results'], 2_000_000, 0),
    invoices: int('invoices', values.invoices, 1_000_000, 0),
    claims: int('claims', values.claims, 300_000, 0),
    sockets: int('sockets', values.sockets, 500, 0),
    hl7: int('hl7', values.hl7, 3000, 0),
    users: int('users', values.users, 700, 1),
    duration: int('duration', values.duration, 60, 1),
    ramp: int('ramp', values.ramp, 10, 1),
    saturation: int('saturation', values.saturation, 10, 0),
    scenarios: (values.scenario ?? [])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean),
    fresh: values.fresh,
    sessions: int('sessions', values.sessions, 50, 1),
    connections: int('connections', values.connections, 64, 1),
    pool: values.pool === undefined ? undefined : int('pool', values.pool, 20, 1),
    weights,
    seed: int('seed', values.seed, 1),
    waitQuiet: int('wait-quiet', values['wait-quiet'], 0),
    profile: values.profile,
  };
}
