import type { HttpClient } from './http.ts';
import { percentile, round } from './stats.ts';

/** `billing.report.revenue`: the monthly revenue report, measured alone (no other load), for one clinic and consolidated. */
export const REVENUE_REPORT = 'billing.report.revenue';

export interface RevenueReportRun {
  variant: 'clinic' | 'consolidated';
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  errors: number;
  /** rows and the month's invoice count of the last answer, to show it read real data */
  rows: number;
  invoices: number;
}

/**
 * Signs in as the demo manager (billing:report at both clinics), then asks for last month's revenue
 * by day `runs` times for the active clinic, and as many consolidated over both clinics, one after the
 * other, after two warm-up calls each.
 */
export async function runRevenueReport(http: HttpClient, password: string, runs = 20): Promise<RevenueReportRun[]> {
  const login = await http.send(
    { method: 'POST', path: '/api/auth/login', body: { email: 'manager@sanita.test', password } },
    undefined,
    true,
  );
  if (login.status !== 200) throw new Error(`login as the manager failed: ${login.status} ${login.body.slice(0, 200)}`);
  const token = (JSON.parse(login.body) as { accessToken: string }).accessToken;
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).toISOString().slice(0, 10);
  const out: RevenueReportRun[] = [];
  for (const variant of ['clinic', 'consolidated'] as const) {
    const path = `/api/billing-reports/revenue?from=${from}&to=${to}&groupBy=day${variant === 'consolidated' ? '&consolidated=true' : ''}`;
    const times: number[] = [];
    let errors = 0;
    let last = '';
    for (let i = 0; i < runs + 2; i++) {
      const res = await http.send({ method: 'GET', path }, token, true);
      if (res.status !== 200) {
        errors += 1;
        if (errors === 1) console.error(`[bench] ${REVENUE_REPORT} ${variant}: ${res.status} ${res.body.slice(0, 200)}`);
        continue;
      }
      last = res.body;
      if (i >= 2) times.push(res.ms);
    }
    times.sort((a, b) => a - b);
    const body = last ? (JSON.parse(last) as { rows: unknown[]; totals: { count: number } }) : null;
    out.push({
      variant,
      runs: times.length,
      p50Ms: round(percentile(times, 50), 1),
      p95Ms: round(percentile(times, 95), 1),
      maxMs: round(times.at(-1) ?? 0, 1),
      errors,
      rows: body?.rows.length ?? 0,
      invoices: body?.totals.count ?? 0,
    });
  }
  return out;
}
