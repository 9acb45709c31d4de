// Strings of the billing feature (i18n namespace `billing`). English is the reference; the French object must have the same keys.
import type { Shape } from '../../lib/i18n/shape.ts';

export const en = {
  nav: { title: 'billing' },
};

export const fr: Shape<typeof en> = {
  nav: { title: 'billing' },
};
