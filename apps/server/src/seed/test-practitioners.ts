import type pg from 'pg';

/**
 * A practitioner of a test's own with an empty calendar, copied from a demo one (specialties,
 * clinics, weekly hours with their buffer and visit types, fee, languages, confirmation rule)
 * under another name. The demo doctor and nurse have a real day of appointments
 * (seed/appointments.ts REAL_DAY): tests that reason about free slots or an empty diary make their
 * own. With `email`, the practitioner is also a staff user of the same roles at the same clinics
 * (the source user's password, i.e. TEST_PASSWORD), so the test can sign in as them.
 */
export async function ownPractitioner(
  sql: pg.Pool,
  from: string,
  as: { displayName: string; email?: string },
): Promise<{ id: string; userId: string | null }> {
  const src = (
    await sql.query<{ id: string; user_id: string | null }>(`SELECT id, user_id FROM practitioners WHERE display_name = $1`, [
      from,
    ])
  ).rows[0];
  if (!src) throw new Error(`no practitioner named ${from}`);
  let userId: string | null = null;
  if (as.email) {
    if (!src.user_id) throw new Error(`${from} has no user to copy`);
    userId = (
      await sql.query<{ id: string }>(
        `INSERT INTO users (email, password_hash, display_name, locale, email_verified_at)
         SELECT $2, password_hash, $3, locale, now() FROM users WHERE id = $1 RETURNING id`,
        [src.user_id, as.email, as.displayName],
      )
    ).rows[0]!.id;
    await sql.query(
      `INSERT INTO memberships (user_id, clinic_id, role_id) SELECT $2, clinic_id, role_id FROM memberships WHERE user_id = $1`,
      [src.user_id, userId],
    );
  }
  const id = (
    await sql.query<{ id: string }>(
      `INSERT INTO practitioners (user_id, display_name, licence_number, bio, languages, fee_amount, fee_currency, requires_confirmation)
       SELECT $2, $3, licence_number || '-T', bio, languages, fee_amount, fee_currency, requires_confirmation
       FROM practitioners WHERE id = $1 RETURNING id`,
      [src.id, userId, as.displayName],
    )
  ).rows[0]!.id;
  await sql.query(
    `INSERT INTO practitioner_specialties (practitioner_id, specialty_id) SELECT $2, specialty_id FROM practitioner_specialties WHERE practitioner_id = $1`,
    [src.id, id],
  );
  await sql.query(
    `INSERT INTO practitioner_clinics (practitioner_id, clinic_id) SELECT $2, clinic_id FROM practitioner_clinics WHERE practitioner_id = $1`,
    [src.id, id],
  );
  await sql.query(
    `INSERT INTO availability_templates (practitioner_id, clinic_id, weekday, start_time, end_time, slot_minutes, buffer_minutes, visit_type_ids, valid_from, valid_to)
     SELECT $2, clinic_id, weekday, start_time, end_time, slot_minutes, buffer_minutes, visit_type_ids, valid_from, valid_to
     FROM availability_templates WHERE practitioner_id = $1`,
    [src.id, id],
  );
  return { id, userId };
}
