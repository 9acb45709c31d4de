import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { AccountPage } from './routes/AccountPage.tsx';
import { MfaSetupPage } from './routes/MfaSetupPage.tsx';

// "My account" is reached from the user menu of the shell, not from the navigation.
export const account = defineFeature({
  name: 'account',
  routes: [
    // Reachable while the role's mandatory 2FA is not set up yet: it is where the user sets it up.
    { path: 'setup-2fa', component: MfaSetupPage, access: 'signedIn', layout: 'publicWide', titleKey: 'account:mfaSetup.title' },
    { path: 'account', component: AccountPage, access: 'enrolled', layout: 'app', titleKey: 'account:account.title' },
  ],
  navigation: [],
  strings,
});
