import fs from 'node:fs';

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Resident set size of a process in MiB, from /proc (Linux). */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by each PostgreSQL process that works for `database`: its backends and
 * the cluster's background processes (WAL writer, checkpointer, autovacuum…), not the live backends
 * of other databases on a shared server. Backends that exited are counted through the postmaster.
 */
export function postgresCpu(database: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const backend = /\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]/.test(cmd);
      if (backend && !cmd.includes(` ${database} `)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime + stime, plus cutime + cstime: the postmaster collects the CPU of the backends it
      // reaped, so connections that closed during the phase are counted too (of any database)
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      out.set(Number(d), ticks / TICKS);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** Busy and total CPU seconds of the whole machine, from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number; steal: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICKS, total: total / TICKS, steal: (v[7] ?? 0) / TICKS };
}

/** Measures CPU use over a phase, as a percentage of one core per party. */
export class CpuMeter {
  private readonly t0 = performance.now();
  private readonly client = process.cpuUsage();
  private readonly server: (number | null)[];
  private readonly pg: Map<number, number>;
  private readonly machine = machineCpuSeconds();

  constructor(
    private readonly serverPids: number[],
    private readonly database = 'sanita_bench',
  ) {
    this.server = serverPids.map(processCpuSeconds);
    this.pg = postgresCpu(database);
  }

  stop() {
    const wall = (performance.now() - this.t0) / 1000;
    const c = process.cpuUsage(this.client);
    const m = machineCpuSeconds();
    const pct = (s: number) => round((100 * s) / wall, 1);
    const server = this.serverPids.reduce((sum, pid, i) => sum + ((processCpuSeconds(pid) ?? 0) - (this.server[i] ?? 0)), 0);
    let pg = 0;
    for (const [pid, s] of postgresCpu(this.database)) pg += s - (this.pg.get(pid) ?? 0);
    const client = (c.user + c.system) / 1e6;
    const busy = m.busy - this.machine.busy;
    return {
      seconds: round(wall, 1),
      clientPct: pct(client),
      serverPct: pct(server),
      postgresPct: pct(pg),
      /** everything else on the machine (other sessions' builds and tests would show here) */
      otherPct: pct(Math.max(0, busy - client - server - pg)),
      machineBusyPct: round((100 * busy) / Math.max(1e-9, m.total - this.machine.total), 1),
      /** time the hypervisor gave the machine's cores to someone else (part of "other processes") */
      stealPct: pct(m.steal - this.machine.steal),
    };
  }
}
export type CpuReport = ReturnType<CpuMeter['stop']>;

/** How busy the machine is (percent of all cores) over `ms` while the bench itself waits. */
export async function backgroundLoad(ms = 2000): Promise<number> {
  const a = machineCpuSeconds();
  await new Promise((r) => setTimeout(r, ms));
  const b = machineCpuSeconds();
  return round((100 * (b.busy - a.busy)) / Math.max(1e-9, b.total - a.total), 1);
}

/** Waits up to `maxSeconds` for the machine to be under `thresholdPct` busy; returns the last reading. */
export async function waitQuiet(maxSeconds: number, thresholdPct = 15, log: (m: string) => void = () => {}): Promise<number> {
  const deadline = Date.now() + maxSeconds * 1000;
  let load = await backgroundLoad();
  while (load > thresholdPct && Date.now() < deadline) {
    log(`machine ${load}% busy with other work: waiting`);
    load = await backgroundLoad(5000);
  }
  return load;
}
