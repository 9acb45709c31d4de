// Strings of the patients feature (i18n namespace `patients`). Patient search, registration, record, edition and merge. The patient fields shared with the portal and registration are in lib/i18n (`patient`).
// English is the reference; the French object must have the same keys (the type checks it).
import type { Shape } from '../../lib/i18n/shape.ts';

export const en = {
  nav: {
    patients: 'Patients',
    registerPatient: 'Register patient',
  },
  patients: {
    title: 'Patients',
    subtitle: 'Search the records of the active clinic.',
    register: 'Register patient',
    searchSection: 'Patient search',
    searchLabel: 'Search patients',
    searchPlaceholder: 'Name, MRN, phone, birth date or national ID',
    advanced: 'Filters',
    allClinics: 'Search all clinics',
    tableCaption: 'Patients matching the search',
    backToList: 'Patients',
    backToRecord: 'Back to the record',
    recordPageTitle: 'Patient record',
    openChart: 'Open chart',
    editPageTitle: 'Edit patient',
    newTitle: 'Register a patient',
    newSubtitle: 'Fields marked with * are required. Possible duplicates appear as you type.',
    editTitle: 'Edit {{name}}',
    created: 'Patient registered with MRN {{mrn}}.',
    saved: 'Changes saved.',
    noChanges: 'Nothing was changed.',
    mergedInto: 'This record was merged into another one and is kept only for history.',
    openSurvivor: 'Open the current record',
    empty: {
      startTitle: 'Find a patient',
      start: 'Type a name, MRN, phone number, birth date or national ID above. If the person has never been here, register them.',
      startReadOnly: 'Type a name, MRN, phone number, birth date or national ID above.',
      noMatchTitle: 'No patient found',
      noMatch:
        'Check the spelling, try the MRN, phone number or birth date, or search all clinics. If the person is new, register them.',
    },
    tabs: {
      details: 'Details',
      accessLog: 'Access log',
    },
    duplicates: {
      idleTitle: 'Duplicate check',
      idle: 'As you type the names, birth date and phone, existing records that look alike appear here.',
      checking: 'Looking for similar records…',
      none: 'No similar record found so far.',
      title_one: 'Possible duplicate',
      title_other: '{{count}} possible duplicates',
      help: 'These existing records look similar. Open one to check before creating a new record.',
      score: '{{score}}% match',
      dialogTitle: 'This patient may already be registered',
      dialogHelp:
        'We found records with a similar name, birth date or phone. Open the right one, or register a new record if this is a different person.',
      open: 'Open',
      registerAnyway: 'Register anyway',
    },
    stale: {
      title: 'This record changed while you were editing',
      message:
        'Someone else saved changes to this patient. Reload to see the latest version; your unsaved changes on this page will be lost.',
      reload: 'Reload the latest version',
    },
    merge: {
      action: 'Merge a duplicate',
      title: 'Merge a duplicate into this record',
      searchHelp: 'Find the duplicate record. Its visits, documents and history will move to this record.',
      searchLabel: 'Find the duplicate record',
      noCandidates: 'No other record matches. Try the MRN or phone number.',
      keep: 'Keep (this record)',
      retire: 'Merge and retire',
      warning:
        'Everything recorded under {{duplicate}} moves to {{survivor}}. {{duplicate}} is then marked as merged. This cannot be undone.',
      confirm: 'Merge records',
      done: '{{duplicate}} was merged into {{survivor}}.',
    },
  },
};

export const fr: Shape<typeof en> = {
  nav: {
    patients: 'Patients',
    registerPatient: 'Enregistrer un patient',
  },
  patients: {
    title: 'Patients',
    subtitle: 'Rechercher dans les dossiers de la clinique active.',
    register: 'Enregistrer un patient',
    searchSection: 'Recherche de patients',
    searchLabel: 'Rechercher un patient',
    searchPlaceholder: 'Nom, NDM, téléphone, date de naissance ou n° d’identité',
    advanced: 'Filtres',
    allClinics: 'Chercher dans toutes les cliniques',
    tableCaption: 'Patients correspondant à la recherche',
    backToList: 'Patients',
    backToRecord: 'Retour au dossier',
    recordPageTitle: 'Dossier patient',
    openChart: 'Ouvrir le dossier clinique',
    editPageTitle: 'Modifier le patient',
    newTitle: 'Enregistrer un patient',
    newSubtitle: 'Les champs marqués * sont obligatoires. Les doublons possibles s’affichent pendant la saisie.',
    editTitle: 'Modifier {{name}}',
    created: 'Patient enregistré sous le NDM {{mrn}}.',
    saved: 'Modifications enregistrées.',
    noChanges: 'Aucune modification.',
    mergedInto: 'Ce dossier a été fusionné dans un autre et n’est conservé que pour l’historique.',
    openSurvivor: 'Ouvrir le dossier actuel',
    empty: {
      startTitle: 'Trouver un patient',
      start:
        'Saisissez ci-dessus un nom, un NDM, un téléphone, une date de naissance ou un n° d’identité. Si la personne n’est jamais venue, enregistrez-la.',
      startReadOnly: 'Saisissez ci-dessus un nom, un NDM, un téléphone, une date de naissance ou un n° d’identité.',
      noMatchTitle: 'Aucun patient trouvé',
      noMatch:
        'Vérifiez l’orthographe, essayez le NDM, le téléphone ou la date de naissance, ou cherchez dans toutes les cliniques. Si la personne est nouvelle, enregistrez-la.',
    },
    tabs: {
      details: 'Détails',
      accessLog: 'Journal des accès',
    },
    duplicates: {
      idleTitle: 'Détection des doublons',
      idle: 'Pendant la saisie des noms, de la date de naissance et du téléphone, les dossiers ressemblants apparaissent ici.',
      checking: 'Recherche de dossiers similaires…',
      none: 'Aucun dossier similaire pour l’instant.',
      title_one: 'Doublon possible',
      title_other: '{{count}} doublons possibles',
      help: 'Ces dossiers existants se ressemblent. Ouvrez-en un pour vérifier avant de créer un nouveau dossier.',
      score: 'Correspondance {{score}} %',
      dialogTitle: 'Ce patient est peut-être déjà enregistré',
      dialogHelp:
        'Nous avons trouvé des dossiers avec un nom, une date de naissance ou un téléphone proches. Ouvrez le bon, ou créez un nouveau dossier s’il s’agit d’une autre personne.',
      open: 'Ouvrir',
      registerAnyway: 'Enregistrer quand même',
    },
    stale: {
      title: 'Ce dossier a changé pendant votre saisie',
      message:
        'Quelqu’un d’autre a enregistré des modifications. Rechargez pour voir la dernière version ; vos modifications non enregistrées sur cette page seront perdues.',
      reload: 'Recharger la dernière version',
    },
    merge: {
      action: 'Fusionner un doublon',
      title: 'Fusionner un doublon dans ce dossier',
      searchHelp: 'Trouvez le dossier en double. Ses visites, documents et historique seront déplacés vers ce dossier.',
      searchLabel: 'Trouver le dossier en double',
      noCandidates: 'Aucun autre dossier ne correspond. Essayez le NDM ou le téléphone.',
      keep: 'Conserver (ce dossier)',
      retire: 'Fusionner et retirer',
      warning:
        'Tout ce qui est enregistré sous {{duplicate}} passe sous {{survivor}}. {{duplicate}} est ensuite marqué comme fusionné. Cette action est irréversible.',
      confirm: 'Fusionner les dossiers',
      done: '{{duplicate}} a été fusionné dans {{survivor}}.',
    },
  },
};
