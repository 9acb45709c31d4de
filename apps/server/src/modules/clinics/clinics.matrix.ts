import type { MatrixSection } from '../../../test/matrix.ts';

/** The sites of the organisation are public (the sign-in and registration pages list them). */
const section: MatrixSection = {
  publicRoutes: ['GET /api/clinics'],
};
export default section;
