import { expect } from 'vitest';
import { staffWith, type MatrixSection } from '../../../test/matrix.ts';

/**
 * The code sets are not patient data (nothing audited), but they serve the chart: staff holding
 * chart:read search them; receptionists, cashiers and portal users get 403.
 */
const section: MatrixSection = {
  routes: [
    {
      route: 'GET /api/terminology/icd10',
      method: 'GET',
      url: '/api/terminology/icd10?q=E11.9',
      verdict: (a) => staffWith(a, 'chart:read'),
      check: (res) => expect(res.json().data[0]).toMatchObject({ code: 'E11.9', billable: true }),
    },
    {
      route: 'GET /api/terminology/cvx',
      method: 'GET',
      url: '/api/terminology/cvx?q=measles',
      verdict: (a) => staffWith(a, 'chart:read'),
      check: (res) => expect(res.json().data.length).toBeGreaterThan(0),
    },
  ],
};
export default section;
