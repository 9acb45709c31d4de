import type { ClinicPreference } from './api/client.ts';

const KEY = 'sanita.clinicId';

/** The active clinic chosen in the switcher, remembered per browser. */
export const clinicPreference: ClinicPreference & { set(id: string): void } = {
  get: () => {
    try {
      return localStorage.getItem(KEY);
    } catch {
      return null;
    }
  },
  set: (id) => {
    try {
      localStorage.setItem(KEY, id);
    } catch {
      // Private browsing may forbid storage; the choice then lasts for this page only.
    }
  },
  clear: () => {
    try {
      localStorage.removeItem(KEY);
    } catch {
      // See above.
    }
  },
};
