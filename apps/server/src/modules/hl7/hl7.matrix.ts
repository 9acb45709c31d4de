import { anyUuid, staffWith, type MatrixSection } from '../../../test/matrix.ts';

/**
 * The message log and the unmatched queue are the organisation's interface, not a clinic's: staff
 * holding hl7:read read them (administrators and the lab), hl7:manage replays and resolves. A
 * refusal comes from the permission alone (403, before anything is read).
 */
const section: MatrixSection = {
  routes: [
    {
      route: 'GET /api/hl7/messages',
      method: 'GET',
      url: '/api/hl7/messages',
      verdict: (a) => staffWith(a, 'hl7:read'),
      action: 'hl7.message.search',
      listAudit: true,
    },
    {
      route: 'GET /api/hl7/unmatched',
      method: 'GET',
      url: '/api/hl7/unmatched',
      verdict: (a) => staffWith(a, 'hl7:read'),
      action: 'hl7.unmatched.read',
      listAudit: true,
    },
    {
      route: 'GET /api/hl7/messages/:id',
      method: 'GET',
      url: `/api/hl7/messages/${anyUuid}`,
      verdict: (a) => (staffWith(a, 'hl7:read') === 'ok' ? 404 : 403),
    },
    {
      route: 'POST /api/hl7/messages/:id/replay',
      method: 'POST',
      url: `/api/hl7/messages/${anyUuid}/replay`,
      verdict: (a) => (staffWith(a, 'hl7:manage') === 'ok' ? 404 : 403),
    },
    {
      route: 'POST /api/hl7/unmatched/:id/resolve',
      method: 'POST',
      url: `/api/hl7/unmatched/${anyUuid}/resolve`,
      body: () => ({}),
      verdict: (a) => (staffWith(a, 'hl7:manage') === 'ok' ? 404 : 403),
    },
  ],
};
export default section;
