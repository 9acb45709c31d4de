/** Transactional emails in the recipient's language. */
type Locale = 'en' | 'fr';
type Template = (v: { url: string; name: string; minutes?: number }) => { subject: string; text: string };

const templates: Record<string, Record<Locale, Template>> = {
  reset: {
    en: ({ url, name, minutes }) => ({
      subject: 'Reset your Sanita password',
      text: `Hello ${name},\n\nSomeone asked to reset the password of your Sanita account. If it was you, open this link within ${minutes} minutes:\n\n${url}\n\nIf it was not you, ignore this email; your password stays the same.\n`,
    }),
    fr: ({ url, name, minutes }) => ({
      subject: 'Réinitialiser votre mot de passe Sanita',
      text: `Bonjour ${name},\n\nUne réinitialisation du mot de passe de votre compte Sanita a été demandée. Si c'est vous, ouvrez ce lien dans les ${minutes} minutes :\n\n${url}\n\nSinon, ignorez ce message ; votre mot de passe ne change pas.\n`,
    }),
  },
  verify: {
    en: ({ url, name }) => ({
      subject: 'Confirm your email for Sanita',
      text: `Hello ${name},\n\nWelcome to Sanita. Confirm your email address to open your patient portal:\n\n${url}\n`,
    }),
    fr: ({ url, name }) => ({
      subject: 'Confirmez votre adresse e-mail pour Sanita',
      text: `Bonjour ${name},\n\nBienvenue sur Sanita. Confirmez votre adresse e-mail pour ouvrir votre portail patient :\n\n${url}\n`,
    }),
  },
  invite: {
    en: ({ url, name }) => ({
      subject: 'You are invited to Sanita',
      text: `Hello ${name},\n\nAn administrator created a Sanita account for you. Choose your password here (the link is valid for 7 days):\n\n${url}\n`,
    }),
    fr: ({ url, name }) => ({
      subject: 'Vous êtes invité(e) sur Sanita',
      text: `Bonjour ${name},\n\nUn administrateur vous a créé un compte Sanita. Choisissez votre mot de passe ici (lien valable 7 jours) :\n\n${url}\n`,
    }),
  },
  alreadyRegistered: {
    en: ({ url, name }) => ({
      subject: 'Your Sanita account',
      text: `Hello ${name},\n\nSomeone tried to register a new Sanita account with this email address, which already has one. If it was you, sign in or reset your password here:\n\n${url}\n`,
    }),
    fr: ({ url, name }) => ({
      subject: 'Votre compte Sanita',
      text: `Bonjour ${name},\n\nQuelqu'un a tenté de créer un compte Sanita avec cette adresse, qui en a déjà un. Si c'est vous, connectez-vous ou réinitialisez votre mot de passe ici :\n\n${url}\n`,
    }),
  },
};

export function renderEmail(kind: keyof typeof templates, locale: string, vars: { url: string; name: string; minutes?: number }) {
  const byLocale = templates[kind]!;
  return (byLocale[locale as Locale] ?? byLocale.en)(vars);
}
