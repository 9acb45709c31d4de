// Strings of the display feature (i18n namespace `display`). The waiting-room display board.
// English is the reference; the French object must have the same keys (the type checks it).
import type { Shape } from '../../lib/i18n/shape.ts';

export const en = {
  display: {
    title: 'Waiting room',
    loading: 'Loading…',
    nowCalling: 'Now calling',
    previous: 'Called earlier',
    waiting: 'Waiting',
    nobodyCalled: 'Nobody has been called yet. Please wait for your ticket number.',
    footer: 'Listen for your ticket number and go to the room shown.',
    reconnecting: 'Reconnecting…',
    roomWord: 'room',
    roomTitle: 'Room',
    spoken: 'Ticket {{code}}, {{where}}',
    enableSound: 'Click to enable sound',
    enableSoundHint: 'Browsers play the chime and the spoken calls only after a click on this screen.',
    errors: {
      noTokenTitle: 'This display link is incomplete',
      noToken: 'Open the full link an administrator created under Administration → Waiting-room displays.',
      refusedTitle: 'This display link is not valid',
      refused: 'It was revoked or mistyped. Ask an administrator for a new display link.',
      unreachableTitle: 'Cannot reach the server',
      unreachable: 'Check the network. This screen tries again by itself.',
    },
  },
};

export const fr: Shape<typeof en> = {
  display: {
    title: 'Salle d’attente',
    loading: 'Chargement…',
    nowCalling: 'Appel en cours',
    previous: 'Appels précédents',
    waiting: 'En attente',
    nobodyCalled: 'Personne n’a encore été appelé. Veuillez attendre votre numéro.',
    footer: 'Écoutez votre numéro de ticket et rendez-vous à la salle indiquée.',
    reconnecting: 'Reconnexion…',
    roomWord: 'salle',
    roomTitle: 'Salle',
    spoken: 'Ticket {{code}}, {{where}}',
    enableSound: 'Cliquez pour activer le son',
    enableSoundHint: 'Le navigateur ne joue le carillon et les annonces qu’après un clic sur cet écran.',
    errors: {
      noTokenTitle: 'Ce lien d’affichage est incomplet',
      noToken: 'Ouvrez le lien complet créé par un administrateur dans Administration → Écrans de salle d’attente.',
      refusedTitle: 'Ce lien d’affichage n’est pas valide',
      refused: 'Il a été révoqué ou mal saisi. Demandez un nouveau lien à un administrateur.',
      unreachableTitle: 'Serveur injoignable',
      unreachable: 'Vérifiez le réseau. Cet écran réessaie tout seul.',
    },
  },
};
