// Strings of the home feature (i18n namespace `home`). The home page: greeting, patient search and shortcuts.
// English is the reference; the French object must have the same keys (the type checks it).
import type { Shape } from '../../lib/i18n/shape.ts';

export const en = {
  nav: {
    home: 'Home',
  },
  home: {
    greeting: {
      morning: 'Good morning, {{name}}',
      afternoon: 'Good afternoon, {{name}}',
      evening: 'Good evening, {{name}}',
    },
    today: '{{date}} · {{clinic}}',
    findPatient: 'Find a patient',
    findPatientHelp: 'Search by name, MRN, phone number, birth date or national ID.',
    shortcutHint: 'From any page, open the patient search with',
    shortcuts: 'Shortcuts',
    cards: {
      patients: 'Patients',
      patientsText: 'Search records and open a patient chart.',
      register: 'Register a patient',
      registerText: 'Create a record for a new patient, with a duplicate check.',
      users: 'Users',
      usersText: 'Invite staff, manage their clinics and roles.',
      roles: 'Roles & permissions',
      rolesText: 'Decide what each role may do and where 2FA is required.',
      audit: 'Audit log',
      auditText: 'Review every access to patient data and verify the chain.',
      account: 'My account',
      accountText: 'Password, two-factor authentication and sessions.',
    },
  },
};

export const fr: Shape<typeof en> = {
  nav: {
    home: 'Accueil',
  },
  home: {
    greeting: {
      morning: 'Bonjour, {{name}}',
      afternoon: 'Bon après-midi, {{name}}',
      evening: 'Bonsoir, {{name}}',
    },
    today: '{{date}} · {{clinic}}',
    findPatient: 'Trouver un patient',
    findPatientHelp: 'Recherchez par nom, NDM, téléphone, date de naissance ou n° d’identité.',
    shortcutHint: 'Depuis n’importe quelle page, ouvrez la recherche de patients avec',
    shortcuts: 'Raccourcis',
    cards: {
      patients: 'Patients',
      patientsText: 'Rechercher des dossiers et ouvrir le dossier d’un patient.',
      register: 'Enregistrer un patient',
      registerText: 'Créer le dossier d’un nouveau patient, avec détection des doublons.',
      users: 'Utilisateurs',
      usersText: 'Inviter le personnel, gérer ses cliniques et ses rôles.',
      roles: 'Rôles et permissions',
      rolesText: 'Définir ce que chaque rôle peut faire et où la 2FA est exigée.',
      audit: 'Journal d’audit',
      auditText: 'Examiner chaque accès aux données et vérifier la chaîne.',
      account: 'Mon compte',
      accountText: 'Mot de passe, authentification à deux facteurs et sessions.',
    },
  },
};
