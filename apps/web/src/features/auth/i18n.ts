// Strings of the auth feature (i18n namespace `auth`). Sign in, registration, password reset, e-mail confirmation and invitations. The words shared with other pages (email, password, sign out, 2FA code, session ended) are in lib/i18n.
// English is the reference; the French object must have the same keys (the type checks it).
import type { Shape } from '../../lib/i18n/shape.ts';

export const en = {
  auth: {
    signIn: 'Sign in',
    backToSignIn: 'Back to sign in',
    login: {
      title: 'Sign in to Sanita',
      subtitle: 'Use the email address your clinic registered.',
      forgot: 'Forgot your password?',
      newPatient: 'New patient?',
      createAccount: 'Create an account',
    },
    register: {
      title: 'Create your patient account',
      subtitle: 'See your record and who accessed it. We will send you an email to confirm your address.',
      clinic: 'Clinic',
      clinicHelp: 'The clinic where you are usually seen.',
      chooseClinic: 'Choose a clinic',
      submit: 'Create account',
      haveAccount: 'Already have an account?',
      checkEmailTitle: 'Check your email',
      checkEmail: 'We sent a confirmation link to {{email}}. Open it to activate your account, then sign in.',
    },
    forgot: {
      title: 'Reset your password',
      subtitle: 'Enter your email address and we will send you a link to choose a new password.',
      submit: 'Send reset link',
      sent: 'If an account exists for {{email}}, a reset link is on its way. It is valid for 30 minutes.',
    },
    reset: {
      title: 'Choose a new password',
      subtitle: 'Your other sessions will be signed out.',
      submit: 'Set new password',
      done: 'Your password was changed. Sign in with the new one.',
      missingToken: 'This link is incomplete. Open the link from the email again, or ask for a new one.',
      invalidToken: 'This link is invalid, already used or expired. Ask for a new reset link.',
    },
    verify: {
      title: 'Confirm your email',
      checking: 'Checking your link…',
      done: 'Your email address is confirmed. You can sign in now.',
      failed: 'We could not confirm your email',
      missingToken: 'This link is incomplete. Open the link from the email again.',
    },
    invitation: {
      title: 'Accept your invitation',
      subtitle: 'Choose a password to activate your Sanita account.',
      submit: 'Activate account',
      done: 'Your account is active. Sign in with your new password.',
      missingToken: 'This invitation link is incomplete. Open the link from the email again.',
      invalidToken: 'This invitation is invalid, already used or expired. Ask your administrator to send a new one.',
    },
  },
};

export const fr: Shape<typeof en> = {
  auth: {
    signIn: 'Se connecter',
    backToSignIn: 'Retour à la connexion',
    login: {
      title: 'Connexion à Sanita',
      subtitle: 'Utilisez l’adresse e-mail enregistrée par votre clinique.',
      forgot: 'Mot de passe oublié ?',
      newPatient: 'Nouveau patient ?',
      createAccount: 'Créer un compte',
    },
    register: {
      title: 'Créer votre compte patient',
      subtitle: 'Consultez votre dossier et qui y a accédé. Nous vous enverrons un e-mail pour confirmer votre adresse.',
      clinic: 'Clinique',
      clinicHelp: 'La clinique où vous êtes habituellement suivi.',
      chooseClinic: 'Choisissez une clinique',
      submit: 'Créer le compte',
      haveAccount: 'Vous avez déjà un compte ?',
      checkEmailTitle: 'Consultez vos e-mails',
      checkEmail:
        'Nous avons envoyé un lien de confirmation à {{email}}. Ouvrez-le pour activer votre compte, puis connectez-vous.',
    },
    forgot: {
      title: 'Réinitialiser votre mot de passe',
      subtitle: 'Saisissez votre adresse e-mail : nous vous enverrons un lien pour choisir un nouveau mot de passe.',
      submit: 'Envoyer le lien',
      sent: 'Si un compte existe pour {{email}}, un lien de réinitialisation est en route. Il est valable 30 minutes.',
    },
    reset: {
      title: 'Choisir un nouveau mot de passe',
      subtitle: 'Vos autres sessions seront déconnectées.',
      submit: 'Enregistrer le mot de passe',
      done: 'Votre mot de passe a été changé. Connectez-vous avec le nouveau.',
      missingToken: 'Ce lien est incomplet. Rouvrez le lien de l’e-mail ou demandez-en un nouveau.',
      invalidToken: 'Ce lien est invalide, déjà utilisé ou expiré. Demandez un nouveau lien.',
    },
    verify: {
      title: 'Confirmer votre adresse e-mail',
      checking: 'Vérification du lien…',
      done: 'Votre adresse e-mail est confirmée. Vous pouvez vous connecter.',
      failed: 'Nous n’avons pas pu confirmer votre adresse',
      missingToken: 'Ce lien est incomplet. Rouvrez le lien de l’e-mail.',
    },
    invitation: {
      title: 'Accepter votre invitation',
      subtitle: 'Choisissez un mot de passe pour activer votre compte Sanita.',
      submit: 'Activer le compte',
      done: 'Votre compte est actif. Connectez-vous avec votre nouveau mot de passe.',
      missingToken: 'Ce lien d’invitation est incomplet. Rouvrez le lien de l’e-mail.',
      invalidToken: 'Cette invitation est invalide, déjà utilisée ou expirée. Demandez-en une nouvelle à votre administrateur.',
    },
  },
};
