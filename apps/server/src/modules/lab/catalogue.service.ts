import type { Db } from '../../platform/db/database.ts';

/** The test catalogue: search, read, administrators' edits with history, the clinic's prices. */
export class LabCatalogueService {
  constructor(private readonly db: Db) {}
}
