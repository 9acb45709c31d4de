import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './server.ts';

/** One line of packages/clinical/scripts/bench-check.ts: the in-process `checkMedications` of 5 items. */
export interface CheckMicro {
  label: string;
  checks: number;
  alerts: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

const LINE = /^(.+?): (\d+) checks, (\d+) alerts each — mean ([\d.]+) ms, p50 ([\d.]+) ms, p95 ([\d.]+) ms, p99 ([\d.]+) ms$/;

/**
 * Runs the micro-benchmark of the medication checks (5 items × 10 current medications × 5 allergies)
 * in its own process, before the server starts (so that nothing else competes for the CPU), and reads
 * its two figures: names the checks have seen before, and every name new to their cache.
 */
export async function runCheckMicro(checks = 20_000): Promise<CheckMicro[]> {
  const script = path.join(repoRoot, 'packages', 'clinical', 'scripts', 'bench-check.ts');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, String(checks)], {
    cwd: repoRoot,
    timeout: 300_000,
  });
  const out = stdout
    .split('\n')
    .map((l) => LINE.exec(l.trim()))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({
      label: m[1]!,
      checks: Number(m[2]),
      alerts: Number(m[3]),
      meanMs: Number(m[4]),
      p50Ms: Number(m[5]),
      p95Ms: Number(m[6]),
      p99Ms: Number(m[7]),
    }));
  if (!out.length) throw new Error(`bench-check.ts printed no figures: ${stdout.slice(0, 300)}`);
  return out;
}
