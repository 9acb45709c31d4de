import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseOptions } from './options.ts';
import { prepareDataset } from './dataset.ts';
import { HttpClient } from './http.ts';
import { runPaced, weightedPicker, type PacedResult } from './paced.ts';
import { startFanout, type FanoutResult } from './fanout.ts';
import { StatementStats } from './pgstats.ts';
import { buildScenarios, evaluateGoals, printReport, writeReport, type BenchReport } from './report.ts';
import { saturate, saturateRuns, type SaturationResult } from './saturation.ts';
import { prng } from '../apps/server/src/seed/demo.ts';
import { perform, selectScenarios, type ScenarioContext } from './scenarios.ts';
import { repoRoot, startHello, startSanita, type Child } from './server.ts';
import { Sessions } from './sessions.ts';
import { rssMb, round, waitQuiet } from './stats.ts';
import { runCheckMicro, type CheckMicro } from './check-micro.ts';
import { oruErrors, runOruIngest, type OruIngestRun } from './hl7.ts';
import { REVENUE_REPORT, runRevenueReport, type RevenueReportRun } from './billing-report.ts';
import { freePort } from '../apps/server/src/platform/db/embedded.ts';
import pg from 'pg';

/** Fixed secrets of the bench dataset: national IDs are encrypted under this key. */
const MASTER_KEY = crypto.createHash('sha256').update('sanita-bench-master-key-v1').digest();
const PASSWORD = 'Bench-Sanita-2026!';

const log = (m: string) => console.log(`[bench] ${m}`);
/** the live-event scenario: not an HTTP request mix entry, measured by fanout.ts */
const FANOUT = 'queue.event.fanout';
/** the HL7 v2 ingest phase: ORU^R01 over MLLP, measured by hl7.ts */
const HL7_INGEST = 'hl7.oru.ingest';
/** filtered in when no filter is given, or a filter names it or a prefix of it */
const wanted = (filters: string[], name: string) =>
  !filters.length || filters.some((f) => name.startsWith(f.replace(/\*$/, '')) || f === name);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const selected = selectScenarios(opts.scenarios, opts.weights);
  const wantCeiling = opts.saturation > 0 && (selected.some((s) => s.kind === 'read') || opts.scenarios.includes('hello'));
  const cleanup: (() => Promise<void>)[] = [];
  const shutdown = async () => {
    for (const f of cleanup.reverse()) await f().catch((e: unknown) => console.error(e));
    cleanup.length = 0;
  };
  process.once('SIGINT', () => {
    log('interrupted: stopping');
    void shutdown().finally(() => process.exit(130));
  });

  try {
    const dataset = await prepareDataset({
      patients: opts.patients,
      appointments: opts.appointments,
      encounters: opts.encounters,
      prescriptions: opts.prescriptions,
      labResults: opts.labResults,
      invoices: opts.invoices,
      claims: opts.claims,
      fresh: opts.fresh,
      masterKey: MASTER_KEY,
      password: PASSWORD,
      log,
    });
    cleanup.push(() => dataset.close());
    if (!dataset.kin.length) throw new Error('the dataset has no patients at Kinshasa');
    const pgStats = new StatementStats(dataset.url);

    // the in-process medication check (issue 11: ≤ 2 ms for 5 items), measured alone before the server starts
    let checkMicro: CheckMicro[] | null = null;
    if (selected.some((s) => s.name === 'medications.check')) {
      checkMicro = await runCheckMicro();
      for (const m of checkMicro) log(`in-process check, ${m.label}: p50 ${m.p50Ms} ms, p95 ${m.p95Ms} ms, p99 ${m.p99Ms} ms`);
    }

    log('starting the server');
    const profileDir = opts.profile ? path.join(repoRoot, 'bench', '.cache', 'profiles') : undefined;
    const wantHl7 = opts.hl7 > 0 && wanted(opts.scenarios, HL7_INGEST);
    const hl7Port = wantHl7 ? await freePort() : undefined;
    const server = await startSanita({
      databaseUrl: dataset.url,
      masterKey: MASTER_KEY.toString('base64'),
      pool: opts.pool,
      profileDir,
      hl7Port,
    });
    cleanup.push(() => server.stop());
    log(`server pid ${server.pid} on ${server.url.origin} (log: ${server.logFile})`);

    const http = new HttpClient(server.url);
    cleanup.push(async () => http.close());
    const sessions = new Sessions(http, PASSWORD, opts.sessions);
    const t = performance.now();
    await sessions.signIn();
    log(`${opts.sessions} sessions signed in (${((performance.now() - t) / 1000).toFixed(1)} s)`);

    const ctx: ScenarioContext = {
      rand: prng(opts.seed),
      kin: dataset.kin,
      scheduling: dataset.scheduling,
      chart: dataset.chart,
      medications: dataset.medications,
      lab: dataset.lab,
      billing: dataset.billing,
    };
    const wantFanout =
      opts.sockets > 0 &&
      (!opts.scenarios.length || opts.scenarios.some((f) => FANOUT.startsWith(f.replace(/\*$/, '')) || f === FANOUT));
    if (wantFanout && !dataset.scheduling.servicePointId) throw new Error('the dataset has no service point at Kinshasa');

    // warm-up: JIT, connection pool, plan caches; failures here stop the run early
    const warm = weightedPicker(
      selected.map((s) => ({ ...s, weight: 1 })),
      ctx.rand,
    );
    let warmErrors = 0;
    await Promise.all(
      Array.from({ length: selected.length ? 4 : 0 }, async () => {
        for (let i = 0; i < 100; i++) {
          const s = warm();
          const { error } = await perform(s, ctx, http, sessions.token(s.as));
          if (error && warmErrors++ < 5) log(`warm-up ${s.name}: ${error}`);
        }
      }),
    );
    await sleep(3000);
    const rss = rssMb(server.pid);
    log(`server RSS at idle after warm-up: ${rss?.toFixed(1)} MiB`);

    const background: Record<string, number> = {};
    background.paced = await waitQuiet(opts.waitQuiet, 15, log);
    if (background.paced > 15)
      log(
        `warning: the machine is ${background.paced}% busy (of all cores) before the load starts: other work skews the numbers`,
      );

    await pgStats.reset();
    let paced: PacedResult | null = null;
    let fanout: FanoutResult | null = null;
    // live events are measured while the paced load runs, or alone when it is filtered out. The
    // sockets connect before the load starts: a reconnection storm is not the steady state measured.
    const fanoutRun = (rounds: number, rampSeconds = 0) => {
      // distinct patients, one per walk-in (a patient already waiting is refused with 409); the start
      // moves with the clock so that a rerun on the same day does not meet its own waiting tickets
      const first = Math.floor(Date.now() / 1000) % dataset.kin.length;
      const count = Math.min(dataset.kin.length, rounds);
      const run = startFanout({
        url: server.url.toString(),
        tokens: sessions.all(),
        sockets: opts.sockets,
        rounds,
        rampMs: rampSeconds * 1000,
        servicePointId: dataset.scheduling.servicePointId!,
        patientIds: Array.from({ length: count }, (_, i) => dataset.kin[(first + i) % dataset.kin.length]!.id),
      });
      const result = run.result.then((f) => {
        fanout = f;
        log(
          `  ${FANOUT}: ${f.sockets} sockets (connected in ${f.connectMs} ms), ${f.rounds} events, p95 ${f.p95Ms} ms, missed ${f.missed}, failed calls ${f.failedCalls}`,
        );
      });
      result.catch(() => {}); // awaited below; a failure before then surfaces through `connected`
      return { ...run, result };
    };
    if (selected.some((s) => s.weight > 0)) {
      await sessions.freshFor(opts.duration * 1000 + 30_000);
      const fan = wantFanout ? fanoutRun(opts.ramp + opts.duration + 60, opts.ramp) : null;
      if (fan) {
        log(`live events: ${opts.sockets} staff sockets connecting`);
        await fan.connected;
        await sleep(2000);
      }
      log(
        `paced load: ${opts.users} users arriving over ${opts.ramp} s, then measured for ${opts.duration} s; one action every 1–3 s each`,
      );
      if (fan) log('live events: walk-ins checked in every second while the sockets listen');
      fan?.start();
      paced = await runPaced({
        http,
        sessions,
        scenarios: selected,
        ctx,
        users: opts.users,
        seconds: opts.duration,
        rampSeconds: opts.ramp,
        serverPids: [server.pid],
        onTick: (s, n) => log(`  ${s.toFixed(0)} s: ${n} requests`),
      });
      fan?.stop();
      await fan?.result;
    } else if (wantFanout) {
      log(`live events: ${opts.sockets} staff sockets listen while walk-ins are checked in (no paced load)`);
      const fan = fanoutRun(40);
      await fan.connected;
      fan.start();
      await fan.result;
    }
    const statements = await pgStats.top();
    const rssAfterPaced = rssMb(server.pid);

    const saturation = new Map<string, SaturationResult>();
    let ceiling: SaturationResult | null = null;
    if (wantCeiling) {
      log(`saturation: ${opts.connections} connections, ${opts.saturation} s per scenario`);
      background.hello = await waitQuiet(opts.waitQuiet, 15, log);
      const hello: Child = await startHello();
      try {
        await saturate({
          url: hello.url,
          path: () => '/hello',
          connections: opts.connections,
          seconds: 2,
          serverPids: [hello.pid],
        });
        ceiling = await saturate({
          url: hello.url,
          path: () => '/hello',
          connections: opts.connections,
          seconds: opts.saturation,
          serverPids: [hello.pid],
        });
        log(`  hello (ceiling): ${ceiling.rps} req/s`);
      } finally {
        await hello.stop();
      }
      for (const s of selected.filter((x) => x.kind === 'read')) {
        await sessions.freshFor(opts.saturation * 1000 + 30_000);
        await sleep(2000); // let the audit sealer and autovacuum catch up between runs
        background[s.name] = await waitQuiet(opts.waitQuiet, 15, log);
        const r = s.run
          ? await saturateRuns({
              once: () => perform(s, ctx, http, sessions.token(s.as)),
              workers: opts.connections,
              seconds: opts.saturation,
              serverPids: [server.pid],
            })
          : await saturate({
              url: server.url,
              path: () => s.request(ctx).path,
              token: () => sessions.token(s.as),
              connections: opts.connections,
              seconds: opts.saturation,
              serverPids: [server.pid],
            });
        saturation.set(s.name, r);
        log(`  ${s.name}: ${r.rps} ${s.run ? 'runs' : 'req'}/s${r.errors ? `, ${r.errors} errors` : ''}`);
      }
    }

    // HL7 v2 ingest, alone: one MLLP connection sending ORU^R01 back to back (each waits for its ACK), then ten in parallel
    const hl7: OruIngestRun[] = [];
    if (hl7Port !== undefined) {
      const sql = new pg.Pool({ connectionString: dataset.url, max: 2 });
      try {
        const mrns = dataset.kin.map((p) => p.mrn);
        for (const connections of [1, 10]) {
          background[`${HL7_INGEST}.${connections}`] = await waitQuiet(opts.waitQuiet, 15, log);
          const r = await runOruIngest({
            host: '127.0.0.1',
            port: hl7Port,
            connections,
            perConnection: Math.max(1, Math.floor(opts.hl7 / connections)),
            mrns,
            rand: ctx.rand,
            sql,
          });
          hl7.push(r);
          log(
            `${HL7_INGEST}, ${connections} connection(s): ${r.messages} messages in ${r.seconds} s = ${r.perSecond}/s, ACK p95 ${r.ackP95Ms} ms, ` +
              `ACKs ${JSON.stringify(r.acks)}, unanswered ${r.unanswered}, stored ${r.stored.processed} messages / ${r.stored.results} results`,
          );
        }
      } finally {
        await sql.end();
      }
    }

    // the monthly revenue report, alone: one clinic, then consolidated
    let revenue: RevenueReportRun[] = [];
    if (wanted(opts.scenarios, REVENUE_REPORT)) {
      background[REVENUE_REPORT] = await waitQuiet(opts.waitQuiet, 15, log);
      revenue = await runRevenueReport(http, PASSWORD);
      for (const r of revenue)
        log(
          `${REVENUE_REPORT}, ${r.variant}: p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms, max ${r.maxMs} ms over ${r.runs} runs ` +
            `(${r.rows} days, ${r.invoices} invoices)${r.errors ? `, ${r.errors} errors` : ''}`,
        );
    }

    const scenarios = buildScenarios(
      selected.map((s) => s.name),
      paced,
      saturation,
      ceiling?.rps ?? null,
    );
    // the goal reads the worse of the two figures: every name new to the checks' cache
    const micro = checkMicro?.reduce((a, b) => (b.p95Ms > a.p95Ms ? b : a));
    if (micro)
      scenarios['medications.check.inProcess'] = {
        p50Ms: micro.p50Ms,
        p95Ms: micro.p95Ms,
        p99Ms: micro.p99Ms,
        rps: null,
        errors: 0,
        saturationRps: null,
        ratioToCeiling: null,
      };
    const fan = fanout as FanoutResult | null;
    if (fan)
      scenarios[FANOUT] = {
        p50Ms: fan.p50Ms,
        p95Ms: fan.p95Ms,
        p99Ms: fan.p99Ms,
        rps: null,
        errors: fan.missed + fan.failedCalls,
        saturationRps: null,
        ratioToCeiling: null,
      };
    for (const r of hl7)
      scenarios[`${HL7_INGEST}.${r.connections === 1 ? 'one' : 'ten'}`] = {
        p50Ms: r.ackP50Ms,
        p95Ms: r.ackP95Ms,
        p99Ms: null,
        rps: r.perSecond,
        errors: oruErrors(r),
        saturationRps: null,
        ratioToCeiling: null,
      };
    for (const r of revenue)
      scenarios[`${REVENUE_REPORT}.${r.variant}`] = {
        p50Ms: r.p50Ms,
        p95Ms: r.p95Ms,
        p99Ms: null,
        rps: null,
        errors: r.errors,
        saturationRps: null,
        ratioToCeiling: null,
      };
    const base = { scenarios, serverRssIdleMb: rss === null ? null : round(rss, 1) };
    const report: BenchReport = {
      startedAt,
      node: process.version,
      cpus: os.availableParallelism(),
      patients: dataset.patients,
      users: opts.users,
      ceiling: { rps: ceiling?.rps ?? null },
      ...base,
      goals: evaluateGoals(base, paced !== null),
      details: {
        options: { ...opts, scenarios: selected.map((s) => `${s.name}=${s.weight}`) },
        machineBusyBeforePhasePct: background,
        dataset: {
          source: dataset.source,
          reused: dataset.reused,
          loadMs: dataset.loadMs,
          kinPatients: dataset.kin.length,
          prescriptions: dataset.prescriptions,
          dispensablePrescriptionItems: dataset.medications.dispensable.length,
          labResults: dataset.labResults,
          labResultPatients: dataset.lab.resultPatients.length,
        },
        medicationCheckMicro: checkMicro,
        server: {
          databasePoolSize: opts.pool ?? 'server default (2 per core, at least 4)',
          rssAfterPacedMb: rssAfterPaced === null ? null : round(rssAfterPaced, 1),
        },
        fanout: fan,
        hl7,
        paced: paced && {
          seconds: paced.seconds,
          totalRps: paced.totalRps,
          cpuPctOfOneCore: paced.cpu,
          clientLoopDelayP99Ms: paced.clientLoopDelayP99Ms,
          timeline: paced.timeline,
          perScenario: Object.fromEntries(
            Object.entries(paced.scenarios).map(([k, v]) => [
              k,
              { count: v.count, expected: v.expected, maxMs: v.maxMs, errorSamples: v.errorSamples },
            ]),
          ),
        },
        saturation: Object.fromEntries(
          [...(ceiling ? ([['hello', ceiling]] as const) : []), ...saturation].map(([k, v]) => [
            k,
            { p50Ms: v.p50Ms, p99Ms: v.p99Ms, requests: v.requests, errors: v.errors, cpuPctOfOneCore: v.cpu },
          ]),
        ),
        pgStatStatements: pgStats.available ? statements : 'unavailable (not in shared_preload_libraries)',
      },
    };
    const file = writeReport(path.join(repoRoot, 'bench', 'results'), report);
    printReport(report, paced, saturation, ceiling);
    if (statements.length) {
      console.log(
        '\ntop statements during the paced phase (pg_stat_statements; planning per call + mean execution ms, total s, calls planned):',
      );
      for (const s of statements) {
        const q = s.query.length > 130 ? `${s.query.slice(0, 60)} … ${s.query.slice(-65)}` : s.query;
        console.log(
          `  ${String(s.calls).padStart(7)} calls ${s.planPerCallMs.toFixed(2).padStart(7)} + ${s.meanExecMs.toFixed(2).padStart(7)} ms ${(s.totalMs / 1000).toFixed(1).padStart(6)} s ${String(s.plans).padStart(6)} planned  ${q}`,
        );
      }
    }
    console.log(`\nresults: ${path.relative(process.cwd(), file)}`);
    if (profileDir) log(`the server's CPU profile is written to ${path.relative(process.cwd(), profileDir)} when it stops`);
  } finally {
    await shutdown();
  }
}

main().catch((err: unknown) => {
  console.error(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
