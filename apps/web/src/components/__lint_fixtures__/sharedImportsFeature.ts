// Linted only by app/boundaries.test.ts: shared code importing a feature, even its index.ts, must be refused.
import { scheduling } from '../../features/scheduling/index.ts';

export const imported = scheduling;
