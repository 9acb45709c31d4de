/**
 * The durable job queue (pg-boss on the application's PostgreSQL). Jobs survive restarts; a job
 * with a singleton key is queued once however often it is sent. Handlers must be idempotent: a job
 * can run again after a crash between its work and its completion.
 *
 * CONTRACT (implemented by the platform/jobs work in progress): services receive a `JobQueue` in
 * their constructor and never import pg-boss.
 */
export interface JobQueue {
  /** Queues a job; returns its id, or null when a job with the same singleton key is already queued. */
  send(
    name: string,
    data: Record<string, unknown>,
    options?: { startAfter?: Date; singletonKey?: string },
  ): Promise<string | null>;
  /** Runs `handler` for each job of `name` (one worker per process and queue). */
  work<T extends Record<string, unknown>>(name: string, handler: (data: T) => Promise<void>): Promise<void>;
  /** Cancels a queued job by id (a job already running finishes). */
  cancel(name: string, id: string): Promise<void>;
}
