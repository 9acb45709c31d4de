import { defineFeature } from '../../app/feature.ts';
import * as strings from './i18n.ts';
import { AcceptInvitationPage } from './routes/AcceptInvitationPage.tsx';
import { ForgotPasswordPage } from './routes/ForgotPasswordPage.tsx';
import { LoginPage } from './routes/LoginPage.tsx';
import { RegisterPage } from './routes/RegisterPage.tsx';
import { ResetPasswordPage } from './routes/ResetPasswordPage.tsx';
import { VerifyEmailPage } from './routes/VerifyEmailPage.tsx';

export const auth = defineFeature({
  name: 'auth',
  routes: [
    { path: 'login', component: LoginPage, access: 'publicOnly', layout: 'public', titleKey: 'auth:auth.login.title' },
    {
      path: 'forgot-password',
      component: ForgotPasswordPage,
      access: 'publicOnly',
      layout: 'public',
      titleKey: 'auth:auth.forgot.title',
    },
    {
      path: 'register',
      component: RegisterPage,
      access: 'publicOnly',
      layout: 'publicWide',
      titleKey: 'auth:auth.register.title',
    },
    // E-mailed links work whether or not someone is signed in on this browser.
    {
      path: 'reset-password',
      component: ResetPasswordPage,
      access: 'public',
      layout: 'public',
      titleKey: 'auth:auth.reset.title',
    },
    { path: 'verify-email', component: VerifyEmailPage, access: 'public', layout: 'public', titleKey: 'auth:auth.verify.title' },
    {
      path: 'accept-invitation',
      component: AcceptInvitationPage,
      access: 'public',
      layout: 'public',
      titleKey: 'auth:auth.invitation.title',
    },
  ],
  navigation: [],
  strings,
});
