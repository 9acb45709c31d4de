import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type Session, type TestContext } from '../../../test/helpers.ts';

let ctx: TestContext;
let admin: Session;
let doctor: Session;
let patient: Session;

beforeAll(async () => {
  ctx = await createTestContext();
  [admin, doctor, patient] = await Promise.all([
    ctx.login('admin@sanita.test'),
    ctx.login('doctor@sanita.test'),
    ctx.login('patient@sanita.test'),
  ]);
});
afterAll(async () => {
  await ctx.close();
});

const count = async (table: string) => (await ctx.sql.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

describe('specialties', () => {
  it('any signed-in user lists the seeded specialties with French names', async () => {
    for (const s of [doctor, patient]) {
      const res = await s.req('GET', '/api/specialties');
      expect(res.statusCode).toBe(200);
      const data = res.json().data as { code: string; nameFr: string }[];
      expect(data.find((d) => d.code === 'paediatrics')?.nameFr).toBe('Pédiatrie');
      expect(data.length).toBeGreaterThanOrEqual(8);
    }
  });

  it('an admin adds one; a doctor cannot (403) and nothing is added', async () => {
    const before = await count('specialties');
    const denied = await doctor.req('POST', '/api/specialties', { code: 'neurology', name: 'Neurology', nameFr: 'Neurologie' });
    expect(denied.statusCode).toBe(403);
    expect(await count('specialties')).toBe(before);
    const res = await admin.req('POST', '/api/specialties', { code: 'neurology', name: ' Neurology ', nameFr: 'Neurologie' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ code: 'neurology', name: 'Neurology', active: true });
    const list = (await patient.req('GET', '/api/specialties')).json().data as { code: string }[];
    expect(list.map((s) => s.code)).toContain('neurology');
  });

  it('a code already used → 409 naming code, on create and on rename', async () => {
    const before = await count('specialties');
    const dup = await admin.req('POST', '/api/specialties', { code: 'cardiology', name: 'Heart', nameFr: 'Cœur' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('CODE_TAKEN');
    expect(dup.json().error.details).toContainEqual(expect.objectContaining({ field: 'code' }));
    expect(await count('specialties')).toBe(before);
    const list = (await admin.req('GET', '/api/specialties')).json().data as { id: string; code: string }[];
    const surgery = list.find((s) => s.code === 'surgery')!;
    const rename = await admin.req('PATCH', `/api/specialties/${surgery.id}`, { code: 'dentistry' });
    expect(rename.statusCode).toBe(409);
    expect(rename.json().error.details).toContainEqual(expect.objectContaining({ field: 'code' }));
  });

  it('an admin deactivates one; an unknown id is 404', async () => {
    const list = (await admin.req('GET', '/api/specialties')).json().data as { id: string; code: string }[];
    const neuro = list.find((s) => s.code === 'neurology')!;
    const res = await admin.req('PATCH', `/api/specialties/${neuro.id}`, { active: false, nameFr: 'Neurologie (fermé)' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ active: false, nameFr: 'Neurologie (fermé)' });
    const missing = await admin.req('PATCH', '/api/specialties/00000000-0000-4000-8000-000000000000', { active: false });
    expect(missing.statusCode).toBe(404);
  });
});

describe('visit types', () => {
  it('lists the seeded visit types with durations and colours', async () => {
    const data = (await patient.req('GET', '/api/visit-types')).json().data as { code: string; durationMinutes: number }[];
    expect(data.find((v) => v.code === 'consultation')?.durationMinutes).toBe(20);
    expect(data.find((v) => v.code === 'vaccination')?.durationMinutes).toBe(10);
  });

  it('a duration outside 5–480 minutes → 400 naming durationMinutes, nothing written', async () => {
    const before = await count('visit_types');
    for (const durationMinutes of [4, 481, 0, 12.5]) {
      const res = await admin.req('POST', '/api/visit-types', { code: 'x-ray', name: 'X-ray', nameFr: 'Radio', durationMinutes });
      expect(res.statusCode, String(durationMinutes)).toBe(400);
      expect(res.json().error.details).toContainEqual(expect.objectContaining({ field: 'durationMinutes' }));
    }
    expect(await count('visit_types')).toBe(before);
  });

  it('an admin creates and changes one; a duplicate code is 409; a receptionist cannot (403)', async () => {
    const body = { code: 'ultrasound', name: 'Ultrasound', nameFr: 'Échographie', durationMinutes: 30, color: 'cyan' };
    const receptionist = await ctx.login('receptionist@sanita.test');
    expect((await receptionist.req('POST', '/api/visit-types', body)).statusCode).toBe(403);
    const res = await admin.req('POST', '/api/visit-types', body);
    expect(res.statusCode, res.body).toBe(201);
    expect((await admin.req('POST', '/api/visit-types', body)).statusCode).toBe(409);
    const patched = await admin.req('PATCH', `/api/visit-types/${res.json().id}`, { durationMinutes: 40 });
    expect(patched.json()).toMatchObject({ durationMinutes: 40, color: 'cyan' });
  });
});
