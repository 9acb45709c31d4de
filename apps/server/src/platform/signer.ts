import { sql } from 'drizzle-orm';
import { clinics, organisation, users } from '../db/schema/identity.ts';
import type { Executor } from './db/database.ts';

/** Who signs a document and where, as it prints them (a letter's or a prescription's header and signature block). */
export interface Signer {
  clinic: { name: string; address: string | null; timezone: string };
  organisation: string;
  signer: { name: string; licenceNumber: string | null; specialties: string[] };
}

/**
 * The clinic, the organisation and the practitioner record of the user (when they have one: else their display name
 * alone), specialties in the document's language.
 */
export async function signerOf(db: Executor, userId: string, clinicId: string, language: 'en' | 'fr'): Promise<Signer> {
  const { rows } = await db.execute<{
    clinic_name: string;
    address: string | null;
    timezone: string;
    organisation: string | null;
    name: string;
    licence_number: string | null;
    specialties: string[] | null;
  }>(sql`
    SELECT c.name AS clinic_name, c.address, c.timezone, (SELECT o.name FROM ${organisation} o LIMIT 1) AS organisation,
           coalesce(pr.display_name, u.display_name) AS name, pr.licence_number,
           (SELECT array_agg(CASE WHEN ${language} = 'fr' THEN s.name_fr ELSE s.name END ORDER BY s.name)
              FROM practitioner_specialties ps JOIN specialties s ON s.id = ps.specialty_id
             WHERE ps.practitioner_id = pr.id) AS specialties
      FROM ${clinics} c
      CROSS JOIN ${users} u
      LEFT JOIN practitioners pr ON pr.user_id = u.id
     WHERE c.id = ${clinicId} AND u.id = ${userId}`);
  const r = rows[0]!;
  return {
    clinic: { name: r.clinic_name, address: r.address, timezone: r.timezone },
    organisation: r.organisation ?? r.clinic_name,
    signer: { name: r.name, licenceNumber: r.licence_number, specialties: r.specialties ?? [] },
  };
}
