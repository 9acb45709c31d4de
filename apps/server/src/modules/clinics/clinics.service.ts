import type { Db } from '../../platform/db/database.ts';
import * as repo from './clinics.repository.ts';

export class ClinicsService {
  constructor(private readonly db: Db) {}

  /** All clinics, or those with the given ids. Clinic names and sites are public information. */
  async list(ids?: string[]) {
    const rows = await repo.listClinics(this.db, ids);
    return rows.map((c) => ({
      id: c.id,
      code: c.code,
      name: c.name,
      timezone: c.timezone,
      currencies: c.currencies,
      address: c.address,
    }));
  }
}
