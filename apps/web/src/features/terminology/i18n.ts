// Strings of the terminology feature (i18n namespace `terminology`): the ICD-10-CM and CVX pickers.
// English is the reference; the French object must have the same keys (the type checks it).
import type { Shape } from '../../lib/i18n/shape.ts';

export const en = {
  loading: 'Searching…',
  noMatch: 'No code matches',
  icd10: {
    placeholder: 'Code (E11.9) or words (diabetes type 2)',
    help: 'ICD-10-CM 2026. Descriptions are in English only.',
    header: 'category',
  },
  cvx: {
    placeholder: 'Vaccine name or CVX code',
    help: 'CDC CVX vaccine codes. Names are in English only.',
    statuses: {
      Inactive: 'historical',
      'Non-US': 'outside the US',
      'Never Active': 'never marketed',
      Pending: 'pending',
    },
  },
};

export const fr: Shape<typeof en> = {
  loading: 'Recherche…',
  noMatch: 'Aucun code ne correspond',
  icd10: {
    placeholder: 'Code (E11.9) ou mots en anglais (diabetes type 2)',
    help: 'CIM-10-CM 2026 : les libellés n’existent qu’en anglais. Cherchez par code ou par mots anglais.',
    header: 'catégorie',
  },
  cvx: {
    placeholder: 'Nom du vaccin (en anglais) ou code CVX',
    help: 'Codes de vaccins CVX du CDC : les noms n’existent qu’en anglais.',
    statuses: {
      Inactive: 'historique',
      'Non-US': 'hors États-Unis',
      'Never Active': 'jamais commercialisé',
      Pending: 'en attente',
    },
  },
};
