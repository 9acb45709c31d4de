import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isValidMrn } from '@sanita/clinical/mrn';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';

let ctx: TestContext;
let reception: Session;
let doctor: Session;
let superAdmin: Session;
let portal: Session;

beforeAll(async () => {
  ctx = await createTestContext();
  [reception, doctor, superAdmin, portal] = await Promise.all([
    ctx.login('receptionist@sanita.test'),
    ctx.login('doctor@sanita.test'),
    ctx.login('super_admin@sanita.test'),
    ctx.login('patient@sanita.test'),
  ]);
});
afterAll(async () => {
  await ctx.close();
});

interface Summary {
  id: string;
  mrn: string;
  givenName: string;
  middleName: string | null;
  familyName: string;
  birthDate: string;
  phones: string[];
  status: string;
}

let n = 0;
/** A registration nobody else in the file uses: a unique family name, duplicates allowed. */
function newPatient(over: Record<string, unknown> = {}) {
  n += 1;
  return {
    givenName: 'Aimée',
    familyName: `Testu${String.fromCharCode(97 + (n % 26))}${String.fromCharCode(97 + Math.floor(n / 26))}q`,
    sex: 'female',
    birthDate: '1990-05-17',
    allowDuplicate: true,
    ...over,
  };
}

async function register(s: Session, body: Record<string, unknown>) {
  const res = await s.req('POST', '/api/patients', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Summary & { version: number; nationalId: string | null }>();
}

async function search(s: Session, params: Record<string, string>) {
  const res = await s.req('GET', `/api/patients?${new URLSearchParams(params).toString()}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ data: Summary[]; nextCursor: string | null }>();
}
const ids = (r: { data: { id: string }[] }) => r.data.map((p) => p.id);

async function countPatients(): Promise<number> {
  const { rows } = await ctx.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM patients');
  return rows[0]!.n;
}

async function patientRow(id: string) {
  const { rows } = await ctx.sql.query<{
    given_name: string;
    family_name: string;
    birth_date: string;
    phones: string[];
    mrn: string;
  }>(`SELECT given_name, family_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, phones, mrn FROM patients WHERE id = $1`, [
    id,
  ]);
  return rows[0]!;
}

describe('registering and editing a patient', () => {
  it('registers at the active clinic with an MRN of the shape KIN-0000123-X whose check character is valid, and reads it back', async () => {
    const since = await lastAuditId(ctx.sql);
    const body = newPatient({
      givenName: '  Grâce ',
      middleName: 'Kavira',
      phones: ['+243 81 000 1122'],
      email: 'Grace.Test@Example.cd',
      address: { line: '12 Avenue Kasa-Vubu', city: 'Kalamu', country: 'CD' },
      preferredLanguage: 'fr',
      emergencyContacts: [{ name: 'Jean Kabila', relationship: 'spouse', phone: '+243990001122' }],
      bloodType: 'O+',
    });
    const created = await register(reception, body);
    expect(created.mrn).toMatch(/^KIN-\d{7}-[0-9A-Z]$/);
    expect(isValidMrn(created.mrn)).toBe(true);
    // the check character is not decoration: another one is invalid
    const wrong = created.mrn.slice(0, -1) + (created.mrn.endsWith('A') ? 'B' : 'A');
    expect(isValidMrn(wrong)).toBe(false);

    const read = await doctor.req('GET', `/api/patients/${created.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      id: created.id,
      mrn: created.mrn,
      givenName: 'Grâce',
      middleName: 'Kavira',
      familyName: body.familyName,
      sex: 'female',
      birthDate: '1990-05-17',
      phones: ['+243810001122'],
      email: 'grace.test@example.cd',
      address: { line: '12 Avenue Kasa-Vubu', city: 'Kalamu', country: 'CD' },
      preferredLanguage: 'fr',
      emergencyContacts: [{ name: 'Jean Kabila', relationship: 'spouse', phone: '+243990001122' }],
      bloodType: 'O+',
      status: 'active',
      primaryClinicId: ctx.ids.kin,
      version: 1,
    });
    const audit = await auditSince(ctx.sql, since);
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'patient.create', patient_id: created.id, outcome: 'success' }),
    );
    expect(audit).toContainEqual(expect.objectContaining({ action: 'patient.read', patient_id: created.id }));
  });

  it('gives consecutive registrations distinct, valid MRNs', async () => {
    const a = await register(reception, newPatient());
    const b = await register(reception, newPatient());
    expect(a.mrn).not.toBe(b.mrn);
    expect([a.mrn, b.mrn].every(isValidMrn)).toBe(true);
  });

  it('edits with the version read; a second edit with the stale version gets 409 STALE_VERSION and changes nothing', async () => {
    const p = await register(reception, newPatient({ phones: ['+243810002233'] }));
    const first = await reception.req('PATCH', `/api/patients/${p.id}`, { version: p.version, phones: ['+243810009999'] });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ phones: ['+243810009999'], version: p.version + 1 });

    // a colleague still has the form open with the old version
    const stale = await doctor.req('PATCH', `/api/patients/${p.id}`, { version: p.version, givenName: 'Overwritten' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    expect(stale.json().error.details).toMatchObject({ currentVersion: p.version + 1 });

    const now = (await reception.req('GET', `/api/patients/${p.id}`)).json();
    expect(now).toMatchObject({ givenName: 'Aimée', phones: ['+243810009999'], version: p.version + 1 });
    expect((await patientRow(p.id)).given_name).toBe('Aimée');
  });

  it('finds an edited name under the new name only', async () => {
    const p = await register(reception, newPatient({ givenName: 'Bertille', familyName: 'Mwilambwe' }));
    const res = await reception.req('PATCH', `/api/patients/${p.id}`, { version: 1, familyName: 'Kazadi-Ntumba' });
    expect(res.statusCode).toBe(200);
    expect(ids(await search(reception, { q: 'Bertille Kazadi' }))).toContain(p.id);
    expect(ids(await search(reception, { q: 'Bertille Mwilambwe' }))).not.toContain(p.id);
  });
});

describe('searching patients', () => {
  let eloise: Summary;
  let grace: Summary;
  let phoned: Summary;
  let dated: Summary;
  let identified: Summary & { nationalId: string | null };

  beforeAll(async () => {
    eloise = await register(reception, newPatient({ givenName: 'Éloïse', familyName: 'Ngalula-Mbuyi', birthDate: '1985-11-02' }));
    grace = await register(reception, newPatient({ givenName: 'Grâce', familyName: 'Kisimba', birthDate: '1979-01-30' }));
    phoned = await register(reception, newPatient({ givenName: 'Fidèle', familyName: 'Lwamba', phones: ['+243812345678'] }));
    dated = await register(reception, newPatient({ givenName: 'Odette', familyName: 'Mbayo', birthDate: '1987-03-14' }));
    identified = await register(
      reception,
      newPatient({ givenName: 'Prosper', familyName: 'Kibasa', nationalId: 'CD-042-771-903' }),
    );
  });

  it('ignores accents in both directions ("Grace" finds "Grâce", "eloise" finds "Éloïse")', async () => {
    const graces = await search(reception, { q: 'Grace', limit: '100' });
    expect(ids(graces)).toContain(grace.id);
    // and only people called something like Grâce, not the whole clinic
    for (const p of graces.data) expect(`${p.givenName} ${p.middleName ?? ''} ${p.familyName}`.normalize('NFD')).toMatch(/gra/i);
    expect(ids(await search(reception, { q: 'eloise' }))).toContain(eloise.id);
    expect(ids(await search(reception, { q: 'ÉLOÏSE ngalula' }))).toContain(eloise.id);
  });

  it('ignores word order and hyphens', async () => {
    expect(ids(await search(reception, { q: 'Mbuyi Ngalula Eloise' }))).toContain(eloise.id);
    expect(ids(await search(reception, { q: 'Mbuyi Marie' }))).toContain(ctx.ids.ownPatient);
    expect(ids(await search(reception, { name: 'kisimba grace' }))).toContain(grace.id);
  });

  it('tolerates a one-letter typo in a name', async () => {
    // substitution, deletion, insertion, in the family or the given name
    for (const q of ['Mbuyu', 'Marie Mbuy', 'Marei Mbuyi', 'Maria Mbuyii']) {
      expect(ids(await search(reception, { q, limit: '100' })), q).toContain(ctx.ids.ownPatient);
    }
    expect(ids(await search(reception, { q: 'Kisimba Grase' }))).toContain(grace.id);
    expect(ids(await search(reception, { q: 'Eloise Ngalua' }))).toContain(eloise.id);
    // swapped or misheard letters, which trigrams miss, are caught by how the name sounds
    for (const q of ['Mubyi Marie', 'Marie Mbouyi']) {
      expect(ids(await search(reception, { q, limit: '100' })), q).toContain(ctx.ids.ownPatient);
    }
    expect(ids(await search(reception, { q: 'Kisimba Garce' }))).toContain(grace.id);
    // but a different name is not a typo
    expect(ids(await search(reception, { q: 'Kabongo', limit: '100' }))).not.toContain(ctx.ids.ownPatient);
  });

  it('finds by MRN typed canonically, without dashes, in lower case or with spaces', async () => {
    const { mrn } = await patientRow(ctx.ids.kinPatient);
    const compact = mrn.replace(/-/g, '');
    for (const q of [mrn, compact, mrn.toLowerCase(), compact.toLowerCase(), mrn.replace(/-/g, ' ')]) {
      expect(ids(await search(reception, { q })), q).toEqual([ctx.ids.kinPatient]);
    }
    expect(ids(await search(reception, { mrn: compact.toLowerCase() }))).toEqual([ctx.ids.kinPatient]);
  });

  it('finds a number stored as +243812345678 when typed locally (0812345678) or spaced', async () => {
    for (const q of ['0812345678', '+243812345678', '+243 81 234 5678', '081-234-5678']) {
      expect(ids(await search(reception, { q })), q).toEqual([phoned.id]);
    }
    expect(ids(await search(reception, { phone: '0812345678' }))).toEqual([phoned.id]);
  });

  it('finds by birth date typed as YYYY-MM-DD or DD/MM/YYYY, alone or with a name', async () => {
    for (const q of ['1987-03-14', '14/03/1987']) {
      const res = await search(reception, { q, limit: '100' });
      expect(ids(res), q).toContain(dated.id);
      expect(res.data.every((p) => p.birthDate === '1987-03-14')).toBe(true);
    }
    expect(ids(await search(reception, { q: 'Odette 14/03/1987' }))).toEqual([dated.id]);
    expect(ids(await search(reception, { birthDate: '1987-03-14', name: 'mbayo' }))).toEqual([dated.id]);
    // the same person under another date is not offered
    expect(ids(await search(reception, { q: 'Odette 15/03/1987' }))).toEqual([]);
  });

  it('finds by national ID however it is typed, and keeps it encrypted at rest', async () => {
    for (const q of ['CD-042-771-903', 'cd042771903', 'cd-042-771-903']) {
      expect(ids(await search(reception, { q })), q).toEqual([identified.id]);
    }
    expect(ids(await search(reception, { nationalId: 'cd 042 771 903' }))).toEqual([identified.id]);
    expect(identified.nationalId).toBe('CD-042-771-903');

    const { rows } = await ctx.sql.query<{ enc: string; hash: string }>(
      'SELECT national_id_enc AS enc, national_id_hash AS hash FROM patients WHERE id = $1',
      [identified.id],
    );
    const stored = `${rows[0]!.enc} ${rows[0]!.hash}`;
    expect(rows[0]!.enc).toBeTruthy();
    for (const plain of ['CD-042-771-903', 'CD042771903', '042771903', '771903']) expect(stored).not.toContain(plain);
    const { rows: anywhere } = await ctx.sql.query(`SELECT 1 FROM patients WHERE row_to_json(patients.*)::text LIKE '%771903%'`);
    expect(anywhere).toHaveLength(0);
  });

  it('finds a national ID made of digits only (it could also be a phone number)', async () => {
    const p = await register(reception, newPatient({ givenName: 'Albertine', nationalId: '1122334455667' }));
    expect(ids(await search(reception, { q: '1122334455667' }))).toEqual([p.id]);
  });

  it('finds a national ID shaped like letters then eight digits', async () => {
    // passports and many identity cards look like this; it must not be mistaken for an MRN
    const p = await register(reception, newPatient({ givenName: 'Clémence', nationalId: 'OB12345678' }));
    expect(ids(await search(reception, { q: 'OB12345678' }))).toEqual([p.id]);
    expect(ids(await search(reception, { nationalId: 'ob12345678' }))).toEqual([p.id]);
  });

  it('pages through results with nextCursor, without repeats or gaps', async () => {
    const family = 'Tshimanga';
    for (const given of ['Ada', 'Bela', 'Cora', 'Dina', 'Emma'])
      await register(reception, newPatient({ givenName: given, familyName: family }));
    const all = await search(reception, { q: family, limit: '100' });
    expect(all.data.filter((p) => p.familyName === family)).toHaveLength(5);
    expect(all.nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await search(reception, { q: family, limit: '2', ...(cursor ? { cursor } : {}) });
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...ids(page));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(cursor).toBeNull();
    expect(pages).toBe(Math.ceil(all.data.length / 2));
    expect(seen).toEqual(ids(all));
  });

  it('lists every bearer of a common family name in name order, page after page (not only the first hundred)', async () => {
    const family = 'Nyembwe';
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    // 110 given names registered in a scrambled order: Aa, Ab, … Ae, Ba, …
    const givens = Array.from({ length: 110 }, (_, i) => `${letters[Math.floor(i / 5)]!.toUpperCase()}${letters[i % 5]}lia`);
    const scrambled = givens.map((g, i) => givens[(i * 37) % givens.length]!);
    expect(new Set(scrambled).size).toBe(givens.length);
    for (const given of scrambled) await register(reception, newPatient({ givenName: given, familyName: family }));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await search(reception, { q: family.toLowerCase(), limit: '40', ...(cursor ? { cursor } : {}) });
      seen.push(...page.data.map((p) => p.givenName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...givens].sort());
    // two words and three: the pair is looked up, the third word narrows
    const three = await register(reception, newPatient({ givenName: 'Aalia', middleName: 'Kanyinda', familyName: family }));
    const pair = await search(reception, { q: `Aalia ${family}` });
    expect(pair.data.map((p) => p.givenName).slice(0, 3)).toEqual(['Aalia', 'Aalia', expect.not.stringMatching(/^Aalia$/)]);
    expect(ids(await search(reception, { q: `${family} kanyinda aalia` }))[0]).toBe(three.id);
  });

  it('stays inside the active clinic: a Kinshasa receptionist does not find a Goma-only patient; cross-clinic search needs its permission', async () => {
    const g = await patientRow(ctx.ids.gomPatient);
    const byName = { q: `${g.given_name} ${g.family_name}`, limit: '100' };
    expect(ids(await search(reception, byName))).not.toContain(ctx.ids.gomPatient);
    expect(ids(await search(reception, { q: g.mrn }))).toEqual([]);
    expect((await reception.req('GET', `/api/patients/${ctx.ids.gomPatient}`)).statusCode).toBe(404);

    const denied = await reception.req('GET', `/api/patients?q=${encodeURIComponent(g.mrn)}&allClinics=true`);
    expect(denied.statusCode).toBe(403);

    expect(ids(await search(superAdmin, { ...byName, allClinics: 'true' }))).toContain(ctx.ids.gomPatient);
    expect(ids(await search(superAdmin, { q: g.mrn, allClinics: 'true' }))).toEqual([ctx.ids.gomPatient]);
    const goma = await ctx.login('receptionist.goma@sanita.test');
    expect(ids(await search(goma, byName))).toContain(ctx.ids.gomPatient);
    expect(ids(await search(goma, byName))).not.toContain(ctx.ids.kinPatient);
  });

  it('asks for something to search for instead of listing everyone', async () => {
    const res = await reception.req('GET', '/api/patients?q=%20%20');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toContainEqual(expect.objectContaining({ field: 'q' }));
  });

  it('audits each search with the ids it returned', async () => {
    const since = await lastAuditId(ctx.sql);
    await search(reception, { q: 'Odette Mbayo' });
    const rows = await auditSince(ctx.sql, since);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'patient.search', actor_user_id: reception.userId, outcome: 'success' });
    expect((rows[0]!.details as { ids: string[] }).ids).toEqual([dated.id]);
  });
});

describe('finding a name typed approximately', () => {
  // names no seeded patient has: each word enters the search vocabulary when the patient is saved
  it('finds a patient registered today by a typo, the first letters or a sound-alike of a name, best match first', async () => {
    const p = await register(reception, newPatient({ givenName: 'Bienvenu', familyName: 'Mwanzabuka' }));
    expect((await search(reception, { q: 'Mwanzabuca' })).data[0]?.id).toBe(p.id);
    for (const q of [
      'Mwanza', // the first letters, as typed while the name is being spelled out
      'mwanzab',
      'Mouanzabouka', // as heard: Double Metaphone, which trigrams miss
      'Bienvenou Mwanzabuca', // a typo in every word
      'mwanzabuca bienvenu', // in any order
    ]) {
      expect(ids(await search(reception, { q, limit: '100' })), q).toContain(p.id);
    }
  });

  it('finds a renamed patient by a typo of the new name, and no longer by the old one', async () => {
    const p = await register(reception, newPatient({ givenName: 'Séraphine' }));
    const res = await reception.req('PATCH', `/api/patients/${p.id}`, { version: 1, familyName: 'Tshilombwe-Mutambayi' });
    expect(res.statusCode, res.body).toBe(200);
    for (const q of ['Seraphine Tshilombve', 'Mutambaye', 'Tshilomb Seraphine']) {
      expect(ids(await search(reception, { q, limit: '100' })), q).toContain(p.id);
    }
    expect(ids(await search(reception, { q: `Seraphine ${p.familyName}`, limit: '100' }))).not.toContain(p.id);
  });

  it('answers an empty page, not an error, for a name that looks and sounds like no one', async () => {
    for (const q of ['Qwxzpy', 'Zyxwvq Qwxzpy', 'Marie Qwxzpy']) {
      expect(await search(reception, { q }), q).toEqual({ data: [], nextCursor: null });
    }
  });
});

describe('duplicate warning at registration', () => {
  it('answers 409 DUPLICATE_SUSPECTED with the candidates for the same person typed differently; allowDuplicate registers anyway', async () => {
    const own = (await reception.req('GET', `/api/patients/${ctx.ids.ownPatient}`)).json<Summary>();
    const local = '0' + own.phones[0]!.slice(-9);
    const body = {
      givenName: 'MARIE',
      familyName: 'mbuyi',
      sex: 'female',
      birthDate: own.birthDate,
      phones: [local],
    };
    const before = await countPatients();
    const res = await reception.req('POST', '/api/patients', body);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('DUPLICATE_SUSPECTED');
    const candidates = res.json().error.details.candidates as Summary[];
    expect(candidates.map((c) => c.id)).toContain(ctx.ids.ownPatient);
    expect(candidates.find((c) => c.id === ctx.ids.ownPatient)).toMatchObject({ mrn: own.mrn, birthDate: own.birthDate });
    expect(await countPatients()).toBe(before);

    const anyway = await reception.req('POST', '/api/patients', { ...body, allowDuplicate: true });
    expect(anyway.statusCode).toBe(201);
    expect(anyway.json().id).not.toBe(ctx.ids.ownPatient);
    expect(await countPatients()).toBe(before + 1);
  });

  it('does not warn about a different person who shares only a birth date', async () => {
    const own = await patientRow(ctx.ids.ownPatient);
    const res = await reception.req('POST', '/api/patients', {
      givenName: 'Théophile',
      familyName: 'Kabasele',
      sex: 'male',
      birthDate: own.birth_date,
    });
    expect(res.statusCode).toBe(201);
  });

  it('GET /api/patients/duplicates lists likely duplicates with a score while the form is being filled', async () => {
    const own = await patientRow(ctx.ids.ownPatient);
    const res = await reception.req(
      'GET',
      `/api/patients/duplicates?${new URLSearchParams({ givenName: 'Marie', familyName: 'Mbuyi', birthDate: own.birth_date })}`,
    );
    expect(res.statusCode).toBe(200);
    const hit = (res.json().data as (Summary & { score: number })[]).find((d) => d.id === ctx.ids.ownPatient);
    expect(hit).toBeDefined();
    expect(hit!.score).toBeGreaterThanOrEqual(0.5);
    expect(hit!.score).toBeLessThanOrEqual(1);

    const none = await reception.req(
      'GET',
      '/api/patients/duplicates?givenName=Zacharie&familyName=Wolinski&birthDate=1901-01-01',
    );
    expect(none.json().data).toEqual([]);
    // a role that cannot register cannot probe either
    const pharm = await ctx.login('pharmacist@sanita.test');
    expect((await pharm.req('GET', '/api/patients/duplicates?givenName=Marie&familyName=Mbuyi')).statusCode).toBe(403);
  });
});

describe('the patient portal', () => {
  it('shows the patient their own record and no one else’s', async () => {
    const me = await portal.req('GET', '/api/portal/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: ctx.ids.ownPatient, givenName: 'Marie', familyName: 'Mbuyi' });
    expect(isValidMrn(me.json().mrn)).toBe(true);
    expect((await portal.req('GET', `/api/patients/${ctx.ids.kinPatient}`)).statusCode).toBe(404);
    expect((await portal.req('GET', '/api/patients?q=Mbuyi')).statusCode).toBe(403);
  });

  it('lists who read the record, by name and role, newest first', async () => {
    expect((await doctor.req('GET', `/api/patients/${ctx.ids.ownPatient}`)).statusCode).toBe(200);
    const nurse = await ctx.login('nurse@sanita.test');
    expect((await nurse.req('GET', `/api/patients/${ctx.ids.ownPatient}`)).statusCode).toBe(200);
    // someone who is refused is listed too
    const goma = await ctx.login('doctor.goma@sanita.test');
    expect((await goma.req('GET', `/api/patients/${ctx.ids.ownPatient}`)).statusCode).toBe(404);

    const res = await portal.req('GET', '/api/portal/access-log?limit=10');
    expect(res.statusCode).toBe(200);
    const entries = res.json().data as { actorName: string; actorRole: string; action: string; outcome: string }[];
    expect(entries.slice(0, 3)).toEqual([
      expect.objectContaining({ actorName: 'Dr Kahindo Paluku', actorRole: 'doctor', action: 'patient.read', outcome: 'denied' }),
      expect.objectContaining({ actorName: 'Grâce Nsimba', actorRole: 'nurse', action: 'patient.read', outcome: 'success' }),
      expect.objectContaining({ actorName: 'Dr Amani Mukendi', actorRole: 'doctor', action: 'patient.read', outcome: 'success' }),
    ]);
    // paging backwards through older entries
    const older = await portal.req('GET', `/api/portal/access-log?limit=1&cursor=${res.json().data[0].id}`);
    expect(older.json().data[0].id).toBe(res.json().data[1].id);
    // another patient's reads are not in this list
    await doctor.req('GET', `/api/patients/${ctx.ids.kinPatient}`);
    const again = (await portal.req('GET', '/api/portal/access-log?limit=100')).json().data as { id: number }[];
    const { rows } = await ctx.sql.query<{ id: number }>('SELECT id::int FROM audit_log WHERE patient_id = $1', [
      ctx.ids.kinPatient,
    ]);
    const foreign = new Set(rows.map((r) => r.id));
    expect(again.some((e) => foreign.has(e.id))).toBe(false);
    // the patient's own views (reading their record, this list) are not "who accessed my record"
    expect((await portal.req('GET', '/api/portal/me')).statusCode).toBe(200);
    const own = await ctx.sql.query<{ id: number }>(
      'SELECT id::int FROM audit_log WHERE actor_user_id = $1 AND patient_id = $2',
      [portal.userId, ctx.ids.ownPatient],
    );
    expect(own.rows.length).toBeGreaterThan(0);
    const mine = new Set(own.rows.map((r) => r.id));
    const listed = (await portal.req('GET', '/api/portal/access-log?limit=100')).json().data as { id: number }[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.some((e) => mine.has(e.id))).toBe(false);
  });
});

describe('merging duplicates', () => {
  it('moves everything to the survivor: the portal user now sees the survivor, the duplicate is marked merged and leaves search, both are audited', async () => {
    const dupId = ctx.ids.ownPatient; // the record with the portal account
    const dup = (await reception.req('GET', `/api/patients/${dupId}`)).json<Summary & { nationalId: string | null }>();
    expect(dup.nationalId).toBeTruthy();
    const survivor = await register(reception, {
      givenName: 'Marie',
      familyName: 'Mbuyi',
      sex: 'female',
      birthDate: dup.birthDate,
      phones: ['+243899990000'],
      allowDuplicate: true,
    });

    // a role without patients:merge is refused
    expect((await doctor.req('POST', `/api/patients/${survivor.id}/merge`, { duplicateId: dupId })).statusCode).toBe(403);
    const since = await lastAuditId(ctx.sql);
    const res = await reception.req('POST', `/api/patients/${survivor.id}/merge`, { duplicateId: dupId });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: survivor.id, status: 'active', nationalId: dup.nationalId });
    expect(res.json().phones).toEqual(expect.arrayContaining(['+243899990000', dup.phones[0]]));

    const merged = (await reception.req('GET', `/api/patients/${dupId}`)).json();
    expect(merged).toMatchObject({ status: 'merged', mergedIntoId: survivor.id });

    const me = await portal.req('GET', '/api/portal/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(survivor.id);

    const found = ids(await search(reception, { q: 'Marie Mbuyi', limit: '100' }));
    expect(found).toContain(survivor.id);
    expect(found).not.toContain(dupId);
    expect(ids(await search(reception, { q: dup.mrn }))).toEqual([]);
    expect(ids(await search(reception, { q: dup.nationalId! }))).toEqual([survivor.id]);

    const audit = (await auditSince(ctx.sql, since)).filter((r) => r.action === 'patient.merge');
    expect(audit.map((r) => r.patient_id).sort()).toEqual([dupId, survivor.id].sort());
    expect(audit.every((r) => r.outcome === 'success' && r.actor_user_id === reception.userId)).toBe(true);

    // the merged record cannot be edited or merged again
    const edit = await reception.req('PATCH', `/api/patients/${dupId}`, { version: 2, givenName: 'X' });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.code).toBe('PATIENT_MERGED');
    const again = await reception.req('POST', `/api/patients/${survivor.id}/merge`, { duplicateId: dupId });
    expect(again.statusCode).toBe(409);
  });

  it('refuses to merge a patient into themself, naming duplicateId', async () => {
    const p = await register(reception, newPatient());
    const res = await reception.req('POST', `/api/patients/${p.id}/merge`, { duplicateId: p.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toContainEqual(expect.objectContaining({ field: 'duplicateId' }));
    expect((await reception.req('GET', `/api/patients/${p.id}`)).json().status).toBe('active');
  });
});

describe('POST /api/patients with arbitrary input (property)', () => {
  const json = fc.jsonValue({ maxDepth: 2 });
  const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ maxLength: 12, unit: 'binary' }));
  /** mostly a plausible value, sometimes anything at all */
  const field = <T>(good: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: good, weight: 5 }, { arbitrary: fc.oneof(json, text), weight: 1 });
  const name = fc.oneof(fc.constantFrom('Grâce', 'Éloïse', 'Jean-Pierre', "N'Sele", '  Moïse  ', 'Ngalula Mbuyi'), text);
  const isoDate = fc
    .date({ min: new Date('1900-01-01'), max: new Date('2025-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  const phone = fc.oneof(
    fc.stringMatching(/^\+2438[0-9]{8}$/),
    fc.stringMatching(/^08[0-9]{8}$/),
    fc.stringMatching(/^\+243 8[0-9] [0-9]{3} [0-9]{4}$/),
  );
  const fields = {
    givenName: field(name),
    middleName: field(fc.oneof(name, fc.constant(null))),
    familyName: field(name),
    sex: field(fc.constantFrom('female', 'male', 'other', 'unknown')),
    birthDate: field(isoDate),
    phones: field(fc.array(phone, { maxLength: 3 })),
    email: field(fc.oneof(fc.constantFrom('a.b@example.cd', 'Jean@Clinique.CD'), fc.constant(null))),
    address: field(
      fc.record(
        { line: fc.string({ maxLength: 40 }), city: fc.string({ maxLength: 20 }), country: fc.constantFrom('CD', 'RW') },
        { requiredKeys: [] },
      ),
    ),
    preferredLanguage: field(fc.constantFrom('fr', 'ln', 'sw', 'en', null)),
    nationalId: field(fc.oneof(fc.stringMatching(/^CD[0-9]{9}$/), fc.constant(null))),
    emergencyContacts: field(fc.array(fc.record({ name: fc.constantFrom('Jean', 'Ruth Kabamba'), phone }), { maxLength: 2 })),
    bloodType: field(fc.constantFrom('A+', 'O-', 'AB+', null)),
    allowDuplicate: field(fc.constant(true)),
  };
  const body = fc
    .tuple(
      // any subset of the fields, or (as often) one with the required ones present, so that both
      // refusals and registrations come up in every run: all-optional alone made a 201 rare
      fc.oneof(
        fc.record(fields, { requiredKeys: [] }),
        fc.record(fields, { requiredKeys: ['givenName', 'familyName', 'sex', 'birthDate'] }),
      ),
      fc.oneof(
        { arbitrary: fc.constant({}), weight: 4 },
        { arbitrary: fc.dictionary(fc.string({ minLength: 1 }), json, { maxKeys: 2 }), weight: 1 },
      ),
    )
    .map(([known, extra]): Record<string, unknown> => ({ ...extra, ...known }));

  /** What the record should say for a field that was accepted: the value, as a clinic would write it. */
  function expected(field: string, v: unknown): unknown {
    const s = v as string;
    switch (field) {
      case 'givenName':
      case 'familyName':
        return s.trim();
      case 'middleName':
        return v === null ? null : s.trim() || null;
      case 'email':
        return v === null ? null : s.trim().toLowerCase();
      case 'phones':
        return [...new Set((v as string[]).map((ph) => (ph.trim().startsWith('+') ? '+' : '') + ph.replace(/\D+/g, '')))];
      case 'nationalId':
        return v === null ? null : s.trim();
      case 'address':
        // its text is trimmed, and text of only spaces left out (OptionalText in the contract)
        return v === null
          ? null
          : Object.fromEntries(
              Object.entries(v as Record<string, string>).flatMap(([k, t]) =>
                k === 'country' ? [[k, t]] : t.trim() ? [[k, t.trim()]] : [],
              ),
            );
      default:
        return v;
    }
  }
  const inputFields = [
    'givenName',
    'middleName',
    'familyName',
    'sex',
    'birthDate',
    'phones',
    'email',
    'address',
    'preferredLanguage',
    'nationalId',
    'emergencyContacts',
    'bloodType',
  ];

  it('never answers 5xx; a 400 names a field; a 201 reads back what was sent; a refusal writes nothing', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const before = await countPatients();
        const res = await reception.req('POST', '/api/patients', b);
        seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
        expect(res.statusCode, res.body).toBeLessThan(500);
        const after = await countPatients();
        if (res.statusCode === 201) {
          expect(after).toBe(before + 1);
          const created = res.json();
          const read = await reception.req('GET', `/api/patients/${created.id}`);
          expect(read.statusCode).toBe(200);
          expect(read.json()).toEqual(created);
          for (const f of inputFields) {
            if (f in b) expect(read.json()[f], f).toEqual(expected(f, b[f]));
          }
          expect(isValidMrn(created.mrn)).toBe(true);
        } else {
          expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
          expect(after).toBe(before);
          const err = res.json().error;
          expect(typeof err.code).toBe('string');
          if (res.statusCode === 400) {
            expect(Array.isArray(err.details) && err.details.length > 0, res.body).toBe(true);
            for (const d of err.details as { field: unknown; message: unknown }[]) {
              expect(typeof d.field === 'string' && d.field.length > 0 && d.field !== '(root)', res.body).toBe(true);
              expect(typeof d.message).toBe('string');
            }
            // the named field is one the client sent or had to send
            const names = ['body', 'givenName', 'familyName', 'sex', 'birthDate', ...Object.keys(b)];
            const named = (f: string) => names.some((k) => f === k || f.startsWith(`${k}.`));
            expect(
              (err.details as { field: string }[]).some((d) => named(d.field)),
              res.body,
            ).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
    // the generator is not degenerate: both outcomes were exercised
    expect(seen.get(201) ?? 0).toBeGreaterThan(0);
    expect(seen.get(400) ?? 0).toBeGreaterThan(0);
  });
});
