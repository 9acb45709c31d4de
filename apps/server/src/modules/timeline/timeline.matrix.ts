import { has, isPatient, clinicOf, type Actor, type MatrixSection, type Target } from '../../../test/matrix.ts';

/** The timeline is the chart's: chart:read at the active clinic (403), a patient registered there (404). */
const canRead = (a: Actor, t: Target): 200 | 403 | 404 =>
  isPatient(a) || !has(a, 'chart:read') ? 403 : clinicOf[t] === a.clinic ? 200 : 404;

const section: MatrixSection = {
  targetRoutes: [
    {
      route: 'GET /api/patients/:patientId/timeline',
      method: 'GET',
      url: (id) => `/api/patients/${id}/timeline`,
      verdict: canRead,
      action: 'timeline.read',
      auditOnce: true,
    },
  ],
};
export default section;
