// Strings of the claims feature (i18n namespace `claims`). English is the reference; the French object must have the same keys.
import type { Shape } from '../../lib/i18n/shape.ts';

export const en = {
  nav: { title: 'claims' },
};

export const fr: Shape<typeof en> = {
  nav: { title: 'claims' },
};
