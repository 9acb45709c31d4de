// Linted only by app/boundaries.test.ts: the first import must be refused, the second accepted.
import { localName as internal } from '../../scheduling/api/masterdata.ts';
import { localName as declared } from '../../scheduling/index.ts';

export const imports = [internal, declared];
