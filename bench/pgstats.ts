import pg from 'pg';

export interface StatementStat {
  calls: number;
  /** planning + execution, all calls */
  totalMs: number;
  /**
   * planning time per call (0 unless pg_stat_statements.track_planning is on). Not the view's
   * mean_plan_time, which is per planning: a prepared statement that reuses its plan plans rarely.
   */
  planPerCallMs: number;
  /** how many of the calls were planned */
  plans: number;
  meanExecMs: number;
  query: string;
}

/**
 * Top statements by total execution time from pg_stat_statements, when the cluster preloads it
 * (shared_preload_libraries); otherwise `available` is false and the bench goes on without.
 */
export class StatementStats {
  available = false;

  constructor(private readonly url: string) {}

  private async run<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const c = new pg.Client({ connectionString: this.url });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }

  async reset(): Promise<void> {
    try {
      await this.run((c) => c.query('SELECT pg_stat_statements_reset()'));
      this.available = true;
    } catch {
      this.available = false;
    }
  }

  async top(n = 12): Promise<StatementStat[]> {
    if (!this.available) return [];
    return this.run(async (c) => {
      const r = await c.query<{ calls: string; plans: string; total: number; plan: number; exec: number; query: string }>(
        `SELECT calls::text, plans::text, total_plan_time + total_exec_time AS total, total_plan_time / greatest(calls, 1) AS plan,
                mean_exec_time AS exec, query
           FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          ORDER BY total_plan_time + total_exec_time DESC LIMIT $1`,
        [n],
      );
      const ms = (v: number) => Math.round(v * 1000) / 1000;
      return r.rows.map((x) => ({
        calls: Number(x.calls),
        totalMs: Math.round(x.total),
        planPerCallMs: ms(x.plan),
        plans: Number(x.plans),
        meanExecMs: ms(x.exec),
        query: x.query.replace(/\s+/g, ' ').slice(0, 600),
      }));
    });
  }
}
