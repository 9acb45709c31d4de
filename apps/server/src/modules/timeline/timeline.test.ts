import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelinePage } from '@sanita/contracts/timeline';
import { auditSince, createTestContext, lastAuditId, type Session, type TestContext } from '../../../test/helpers.ts';

let ctx: TestContext;
let doctor: Session;
let desk: Session;
let admin: Session;
const KIN = { 'x-clinic-id': '' };

async function newPatient(): Promise<string> {
  const res = await admin.req(
    'POST',
    '/api/patients',
    { givenName: 'Time', familyName: 'Line', sex: 'female', birthDate: '1975-03-03', allowDuplicate: true },
    KIN,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

const page = (s: Session, patientId: string, query = '') =>
  s.req('GET', `/api/patients/${patientId}/timeline${query}`, undefined, KIN);

beforeAll(async () => {
  ctx = await createTestContext();
  KIN['x-clinic-id'] = ctx.ids.kin;
  [doctor, desk, admin] = (await Promise.all(['doctor', 'receptionist', 'admin'].map((r) => ctx.login(`${r}@sanita.test`)))) as [
    Session,
    Session,
    Session,
  ];
});
afterAll(async () => {
  await ctx.close();
});

describe('a patient’s timeline', () => {
  it('merges the kinds newest first, pages without gaps or repeats, filters by kind and date, and audits what it shows', async () => {
    const patientId = await newPatient();
    // vitals and letters interleaved in time, recorded out of order
    const times = ['2026-01-05T08:00:00Z', '2026-03-05T08:00:00Z', '2026-02-05T08:00:00Z', '2026-04-05T08:00:00Z'];
    for (const takenAt of times) {
      const v = await doctor.req('POST', `/api/patients/${patientId}/vitals`, { heartRate: 70, takenAt }, KIN);
      expect(v.statusCode, v.body).toBe(201);
    }
    for (let i = 0; i < 3; i++) {
      const l = await doctor.req(
        'POST',
        `/api/patients/${patientId}/letters`,
        { kind: 'medical_certificate', body: `Fit ${i}` },
        KIN,
      );
      expect(l.statusCode, l.body).toBe(201);
    }

    const first = await page(doctor, patientId, '?limit=3');
    expect(first.statusCode, first.body).toBe(200);
    const p1 = first.json<TimelinePage>();
    expect(p1.kinds).toEqual(expect.arrayContaining(['vitals', 'letter']));
    expect(p1.data.map((e) => e.kind)).toEqual(['letter', 'letter', 'letter']);
    const all: TimelinePage['data'] = [...p1.data];
    let cursor = p1.nextCursor;
    while (cursor) {
      const next = (await page(doctor, patientId, `?limit=3&cursor=${cursor}`)).json<TimelinePage>();
      all.push(...next.data);
      cursor = next.nextCursor;
    }
    expect(all).toHaveLength(7);
    expect(new Set(all.map((e) => e.id)).size).toBe(7);
    const at = all.map((e) => e.at);
    expect(at).toEqual([...at].sort().reverse());
    expect(all.slice(3).map((e) => e.at)).toEqual([
      '2026-04-05T08:00:00.000Z',
      '2026-03-05T08:00:00.000Z',
      '2026-02-05T08:00:00.000Z',
      '2026-01-05T08:00:00.000Z',
    ]);
    expect(all[3]).toMatchObject({ kind: 'vitals', by: 'Dr Amani Mukendi' });

    const vitalsOnly = (
      await page(doctor, patientId, '?kinds=vitals&from=2026-02-01T00:00:00Z&to=2026-03-31T00:00:00Z')
    ).json<TimelinePage>();
    expect(vitalsOnly.data.map((e) => e.at)).toEqual(['2026-03-05T08:00:00.000Z', '2026-02-05T08:00:00.000Z']);

    const since = await lastAuditId(ctx.sql);
    const audited = (await page(doctor, patientId, '?kinds=letter')).json<TimelinePage>();
    const rows = await auditSince(ctx.sql, since);
    expect(rows).toEqual([expect.objectContaining({ action: 'timeline.read', outcome: 'success', patient_id: patientId })]);
    expect(audited.data).toHaveLength(3);
  });

  it('refuses unknown kinds, reversed dates and forged cursors, naming them; a receptionist may not read it', async () => {
    const patientId = await newPatient();
    const field = async (query: string) => {
      const res = await page(doctor, patientId, query);
      expect(res.statusCode, query).toBe(400);
      return res.json<{ error: { details: { field: string }[] } }>().error.details.map((d) => d.field);
    };
    expect(await field('?kinds=vitals,gossip')).toContain('querystring.kinds');
    expect(await field('?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z')).toContain('querystring.to');
    expect(await field(`?cursor=${Buffer.from('yesterday|me').toString('base64url')}`)).toContain('querystring.cursor');
    expect((await page(desk, patientId)).statusCode).toBe(403);
  });
});
