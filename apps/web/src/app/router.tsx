import type { ReactNode } from 'react';
import { createBrowserRouter, Outlet, useLocation } from 'react-router';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { NotFoundPage } from '../components/StatusPage.tsx';
import { AccountPage } from '../features/account/routes/AccountPage.tsx';
import { MfaSetupPage } from '../features/account/routes/MfaSetupPage.tsx';
import { AuditPage } from '../features/admin/routes/AuditPage.tsx';
import { RolesPage } from '../features/admin/routes/RolesPage.tsx';
import { DisplayTokensPage } from '../features/admin/routes/DisplayTokensPage.tsx';
import { ServicePointsPage } from '../features/admin/routes/ServicePointsPage.tsx';
import { UsersPage } from '../features/admin/routes/UsersPage.tsx';
import { AcceptInvitationPage } from '../features/auth/routes/AcceptInvitationPage.tsx';
import { ForgotPasswordPage } from '../features/auth/routes/ForgotPasswordPage.tsx';
import { LoginPage } from '../features/auth/routes/LoginPage.tsx';
import { RegisterPage } from '../features/auth/routes/RegisterPage.tsx';
import { ResetPasswordPage } from '../features/auth/routes/ResetPasswordPage.tsx';
import { VerifyEmailPage } from '../features/auth/routes/VerifyEmailPage.tsx';
import { DisplayBoardPage } from '../features/display/routes/DisplayBoardPage.tsx';
import { HomePage } from '../features/home/routes/HomePage.tsx';
import { EditPatientPage } from '../features/patients/routes/EditPatientPage.tsx';
import { NewPatientPage } from '../features/patients/routes/NewPatientPage.tsx';
import { PatientPage } from '../features/patients/routes/PatientPage.tsx';
import { PatientsPage } from '../features/patients/routes/PatientsPage.tsx';
import { PortalAccessPage } from '../features/portal/routes/PortalAccessPage.tsx';
import { PortalHomePage } from '../features/portal/routes/PortalHomePage.tsx';
import { BookAppointmentPage } from '../features/portal/routes/BookAppointmentPage.tsx';
import { MyAppointmentsPage } from '../features/portal/routes/MyAppointmentsPage.tsx';
import { FrontDeskPage } from '../features/queue/routes/FrontDeskPage.tsx';
import { QueuePage } from '../features/queue/routes/QueuePage.tsx';
import { SchedulePage } from '../features/scheduling/routes/SchedulePage.tsx';
import { PractitionerPage } from '../features/scheduling/routes/PractitionerPage.tsx';
import { PractitionersPage } from '../features/scheduling/routes/PractitionersPage.tsx';
import { WaitlistPage } from '../features/scheduling/routes/WaitlistPage.tsx';
import { SchedulingSettingsPage } from '../features/admin/routes/SchedulingSettingsPage.tsx';
import type { Permission } from '../lib/auth/permissions.ts';
import { PublicOnly, RequireAuth, RequireMfaEnrolled, RequirePermission } from './guards.tsx';
import { AppLayout } from './layouts/AppLayout.tsx';
import { PublicLayout } from './layouts/PublicLayout.tsx';

const TITLES: [RegExp, string][] = [
  [/^\/login/, 'auth.login.title'],
  [/^\/register/, 'auth.register.title'],
  [/^\/forgot-password/, 'auth.forgot.title'],
  [/^\/reset-password/, 'auth.reset.title'],
  [/^\/verify-email/, 'auth.verify.title'],
  [/^\/accept-invitation/, 'auth.invitation.title'],
  [/^\/setup-2fa/, 'mfaSetup.title'],
  [/^\/patients\/new$/, 'patients.newTitle'],
  [/^\/patients\/[^/]+\/edit$/, 'patients.editPageTitle'],
  [/^\/patients\/[^/]+$/, 'patients.recordPageTitle'],
  [/^\/patients/, 'patients.title'],
  [/^\/front-desk/, 'frontDesk.title'],
  [/^\/queue/, 'queue.title'],
  [/^\/schedule/, 'schedule.title'],
  [/^\/practitioners/, 'practitioners.title'],
  [/^\/waitlist/, 'waitlist.title'],
  [/^\/admin\/scheduling/, 'masterData.title'],
  [/^\/account/, 'account.title'],
  [/^\/admin\/users/, 'admin.users.title'],
  [/^\/admin\/roles/, 'admin.roles.title'],
  [/^\/admin\/audit/, 'admin.audit.title'],
  [/^\/admin\/service-points/, 'servicePoints.title'],
  [/^\/admin\/displays/, 'displayTokens.title'],
  [/^\/display$/, 'display.title'],
  [/^\/portal\/access/, 'portal.access.title'],
  [/^\/portal\/appointments/, 'portalBooking.myTitle'],
  [/^\/portal\/book/, 'portalBooking.book'],
  [/^\/portal/, 'portal.title'],
  [/^\/$/, 'nav.home'],
];

/** Each page gets its own document title, which screen readers announce on navigation. */
function Root() {
  const { t, i18n } = useTranslation();
  const { pathname } = useLocation();
  useEffect(() => {
    const key = TITLES.find(([pattern]) => pattern.test(pathname))?.[1];
    document.title = key ? `${t(key)} · Sanita` : 'Sanita';
  }, [pathname, t, i18n.resolvedLanguage]);
  return <Outlet />;
}

const guard = (anyOf: Permission[], element: ReactNode) => <RequirePermission anyOf={anyOf}>{element}</RequirePermission>;

export const router = createBrowserRouter([
  {
    element: <Root />,
    children: [
      {
        element: <PublicOnly />,
        children: [
          {
            element: <PublicLayout />,
            children: [
              { path: 'login', element: <LoginPage /> },
              { path: 'forgot-password', element: <ForgotPasswordPage /> },
            ],
          },
          { element: <PublicLayout wide />, children: [{ path: 'register', element: <RegisterPage /> }] },
        ],
      },
      // A waiting-room TV authenticates with its display token, never a staff session.
      { path: 'display', element: <DisplayBoardPage /> },
      {
        // E-mailed links work whether or not someone is signed in on this browser.
        element: <PublicLayout />,
        children: [
          { path: 'reset-password', element: <ResetPasswordPage /> },
          { path: 'verify-email', element: <VerifyEmailPage /> },
          { path: 'accept-invitation', element: <AcceptInvitationPage /> },
        ],
      },
      {
        element: <RequireAuth />,
        children: [
          { element: <PublicLayout wide />, children: [{ path: 'setup-2fa', element: <MfaSetupPage /> }] },
          {
            element: <RequireMfaEnrolled />,
            children: [
              {
                element: <AppLayout />,
                children: [
                  { index: true, element: <HomePage /> },
                  { path: 'patients', element: guard(['patients:read'], <PatientsPage />) },
                  { path: 'patients/new', element: guard(['patients:write'], <NewPatientPage />) },
                  { path: 'patients/:id', element: guard(['patients:read'], <PatientPage />) },
                  { path: 'patients/:id/edit', element: guard(['patients:write'], <EditPatientPage />) },
                  { path: 'front-desk', element: guard(['queue:write'], <FrontDeskPage />) },
                  { path: 'queue', element: guard(['queue:read'], <QueuePage />) },
                  { path: 'schedule', element: guard(['appointments:read'], <SchedulePage />) },
                  { path: 'practitioners', element: guard(['appointments:read'], <PractitionersPage />) },
                  { path: 'practitioners/:id', element: guard(['appointments:read'], <PractitionerPage />) },
                  { path: 'waitlist', element: guard(['appointments:read'], <WaitlistPage />) },
                  { path: 'admin/scheduling', element: guard(['settings:write'], <SchedulingSettingsPage />) },
                  { path: 'account', element: <AccountPage /> },
                  { path: 'admin/users', element: guard(['users:read'], <UsersPage />) },
                  { path: 'admin/roles', element: guard(['roles:write'], <RolesPage />) },
                  { path: 'admin/audit', element: guard(['audit:read'], <AuditPage />) },
                  { path: 'admin/service-points', element: guard(['settings:write'], <ServicePointsPage />) },
                  { path: 'admin/displays', element: guard(['settings:write'], <DisplayTokensPage />) },
                  { path: 'portal', element: guard(['portal:self'], <PortalHomePage />) },
                  { path: 'portal/access', element: guard(['portal:self'], <PortalAccessPage />) },
                  { path: 'portal/appointments', element: guard(['portal:self'], <MyAppointmentsPage />) },
                  { path: 'portal/book', element: guard(['portal:self'], <BookAppointmentPage />) },
                  { path: '*', element: <NotFoundPage /> },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
]);
