import type { Db } from '../../platform/db/database.ts';
import type { EventBus, Room } from '../../platform/realtime/events.ts';
import type { LabAlertsService } from './alerts.service.ts';
import type { LabCatalogueService } from './catalogue.service.ts';

/** The lab room of a clinic: whoever works its worklist. */
export const labRoom = (clinicId: string): Room => `lab:${clinicId}`;

/** Orders, the worklist, results, verification and release, a patient's results. */
export class LabService {
  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly catalogue: LabCatalogueService,
    private readonly alerts: LabAlertsService,
  ) {}
}
