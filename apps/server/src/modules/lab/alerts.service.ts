import type { Db } from '../../platform/db/database.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { Mailer } from '../../platform/mail.ts';
import type { EventBus } from '../../platform/realtime/events.ts';

/** Critical-value alerts: raised on release, acknowledged by the ordering doctor, escalated by a durable job. */
export class LabAlertsService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    private readonly publicUrl: string,
    private readonly log: { error(obj: object, msg: string): void },
  ) {}

  async start(): Promise<void> {}
}
