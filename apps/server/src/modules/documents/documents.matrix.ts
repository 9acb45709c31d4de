import { expect, it } from 'vitest';
import { auditSince, lastAuditId } from '../../../test/helpers.ts';
import {
  clinicId,
  clinicOf,
  has,
  isPatient,
  matrixContext,
  oneId,
  patientIds,
  sessionOf,
  targets,
  type Actor,
  type MatrixSection,
  type Target,
  type Verdict,
} from '../../../test/matrix.ts';
import { multipartBody, tinyPdf } from '../../../test/multipart.ts';

/**
 * Documents are staff's at the active clinic: documents:read (or the front desk's documents:front_desk,
 * for identity papers, referral letters and consents) for a patient registered there, 404 otherwise;
 * a portal user reaches only /api/portal/documents, and there only their own.
 */
export function canReadDocuments(a: Actor, t: Target): 200 | 403 | 404 {
  if (isPatient(a) || !(has(a, 'documents:read') || has(a, 'documents:front_desk'))) return 403;
  return clinicOf[t] === a.clinic ? 200 : 404;
}
/** Uploading an identity document (a front-desk category): documents:write or documents:front_desk. */
export function canUploadIdentity(a: Actor, t: Target): 200 | 403 | 404 {
  if (isPatient(a) || !(has(a, 'documents:write') || has(a, 'documents:front_desk'))) return 403;
  return clinicOf[t] === a.clinic ? 200 : 404;
}
/** A document of Marie Mbuyi (Kinshasa), by id. */
const onKinDocument =
  (permission: 'read' | 'write') =>
  (a: Actor): Verdict => {
    const ok = permission === 'read' ? has(a, 'documents:read') || has(a, 'documents:front_desk') : has(a, 'documents:write');
    if (isPatient(a) || !ok) return 403;
    return a.clinic === 'kin' ? 'ok' : 404;
  };
const portalSelf = (a: Actor): Verdict => (has(a, 'portal:self') ? 'ok' : 403);

const UPLOAD = 'POST /api/patients/:patientId/documents';
const PORTAL_UPLOAD = 'POST /api/portal/documents';
/** the seeded referral letter (a front-desk category) and the lab report shared with Marie */
const docs = { referral: '', shared: '' };

const upload = (a: Actor, url: string, fields: Record<string, string>) => {
  const { payload, headers } = multipartBody([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'file', value: tinyPdf('matrix'), filename: 'scan.pdf', contentType: 'application/pdf' },
  ]);
  return sessionOf(a).req('POST', url, payload, { ...headers, 'x-clinic-id': clinicId(a.clinic) });
};

const section: MatrixSection = {
  async setup() {
    docs.referral = await oneId(
      `SELECT id FROM patient_documents WHERE category = 'referral_letter' ORDER BY uploaded_at LIMIT 1`,
    );
    docs.shared = await oneId(`SELECT id FROM patient_documents WHERE shared_with_patient ORDER BY uploaded_at LIMIT 1`);
  },
  targetRoutes: [
    {
      route: 'GET /api/patients/:patientId/documents',
      method: 'GET',
      url: (id) => `/api/patients/${id}/documents`,
      verdict: canReadDocuments,
      action: 'document.list',
      auditOnce: true,
    },
  ],
  routes: [
    {
      route: 'GET /api/documents/:id',
      method: 'GET',
      url: () => `/api/documents/${docs.referral}`,
      verdict: onKinDocument('read'),
      action: 'document.view',
      auditRefusals: true,
    },
    {
      route: 'GET /api/documents/:id/content',
      method: 'GET',
      url: () => `/api/documents/${docs.referral}/content`,
      verdict: onKinDocument('read'),
      action: 'document.read',
      auditRefusals: true,
      check: (res) => expect(res.headers['content-type']).toBe('application/pdf'),
    },
    {
      route: 'PATCH /api/documents/:id',
      method: 'PATCH',
      url: () => `/api/documents/${docs.referral}`,
      body: () => ({ title: 'Referral letter — Dr Kabeya' }),
      verdict: onKinDocument('write'),
      action: 'document.update',
      auditRefusals: true,
    },
    {
      route: 'GET /api/portal/documents',
      method: 'GET',
      url: '/api/portal/documents',
      verdict: portalSelf,
      action: 'document.list',
      auditRefusals: true,
    },
    {
      route: 'GET /api/portal/documents/:id/content',
      method: 'GET',
      url: () => `/api/portal/documents/${docs.shared}/content`,
      verdict: portalSelf,
      action: 'document.read',
      auditRefusals: true,
    },
  ],
  // multipart bodies, which the rows do not send: checked below, with what was written
  covers: [UPLOAD, PORTAL_UPLOAD],
  tests: (actor) => {
    const count = async (patientId: string) =>
      (
        await matrixContext().sql.query<{ n: number }>('SELECT count(*)::int AS n FROM patient_documents WHERE patient_id = $1', [
          patientId,
        ])
      ).rows[0]!.n;
    const cases = targets.map((t) => {
      const status = canUploadIdentity(actor, t);
      return [`${UPLOAD} (identity) on the ${t} patient → ${status === 200 ? 201 : status}, audited`, t, status] as const;
    });
    it.each(cases)('%s', async (_name, target, status) => {
      const { sql } = matrixContext();
      const id = patientIds()[target];
      const before = await count(id);
      const since = await lastAuditId(sql);
      const res = await upload(actor, `/api/patients/${id}/documents`, { category: 'identity' });
      expect(res.statusCode, res.body).toBe(status === 200 ? 201 : status);
      if (status === 200)
        expect(res.json()).toMatchObject({ patientId: id, category: 'identity', contentType: 'application/pdf' });
      else expect(res.json().error.code).toBe(status === 403 ? 'FORBIDDEN' : 'NOT_FOUND');
      expect(await count(id)).toBe(before + (status === 200 ? 1 : 0));
      const rows = (await auditSince(sql, since)).filter(
        (r) => r.actor_user_id === sessionOf(actor).userId && r.action === 'document.upload',
      );
      expect(rows).toEqual([expect.objectContaining({ patient_id: id, outcome: status === 200 ? 'success' : 'denied' })]);
    });

    const portal = portalSelf(actor);
    it(`${PORTAL_UPLOAD} → ${portal === 'ok' ? 201 : portal}, into their own record only`, async () => {
      const own = patientIds().own;
      const before = await count(own);
      const res = await upload(actor, '/api/portal/documents', {});
      expect(res.statusCode, res.body).toBe(portal === 'ok' ? 201 : portal);
      if (portal === 'ok') expect(res.json()).toMatchObject({ patientId: own, category: 'patient_provided', source: 'portal' });
      expect(await count(own)).toBe(before + (portal === 'ok' ? 1 : 0));
    });
  },
};
export default section;
