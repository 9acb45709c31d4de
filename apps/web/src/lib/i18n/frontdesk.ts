// Strings of the front desk, queue, display board and live-connection indicator. English is the
// reference; the French object must have the same keys (the type checks it).

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const en = {
  realtime: {
    state: {
      live: 'Live',
      connecting: 'Connecting…',
      reconnecting: 'Reconnecting…',
      offline: 'Offline',
    },
    help: {
      live: 'This screen updates by itself as colleagues work.',
      connecting: 'Opening the live connection…',
      reconnecting: 'The live connection dropped; trying again. What you see may be a few seconds old.',
      offline: 'No network. What you see may be out of date; it refreshes when the connection returns.',
    },
  },
};

export const fr: Shape<typeof en> = {
  realtime: {
    state: {
      live: 'En direct',
      connecting: 'Connexion…',
      reconnecting: 'Reconnexion…',
      offline: 'Hors ligne',
    },
    help: {
      live: 'Cet écran se met à jour tout seul pendant que vos collègues travaillent.',
      connecting: 'Ouverture de la connexion en direct…',
      reconnecting: 'La connexion en direct a été coupée ; nouvel essai. L’affichage peut avoir quelques secondes de retard.',
      offline: 'Pas de réseau. L’affichage peut être périmé ; il se met à jour au retour de la connexion.',
    },
  },
};
