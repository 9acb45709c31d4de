import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { FullPageLoader } from '../components/FullPageLoader.tsx';
import { ForbiddenPage } from '../components/StatusPage.tsx';
import { useAuth } from '../lib/auth/AuthProvider.tsx';
import type { Permission } from '../lib/auth/permissions.ts';

export interface FromState {
  from?: string;
}

/** Staff and portal pages: a visitor without a session goes to sign in and comes back afterwards. */
export function RequireAuth() {
  const { status, endedBy } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <FullPageLoader />;
  if (status === 'anonymous') {
    // After "Sign out" the next person at this computer should not land on the last page seen.
    if (endedBy === 'logout') return <Navigate to="/login" replace />;
    const from = location.pathname + location.search;
    return <Navigate to="/login" replace state={{ from } satisfies FromState} />;
  }
  return <Outlet />;
}

/** Sign-in and registration make no sense with a session; go where the user was heading. */
export function PublicOnly() {
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <FullPageLoader />;
  if (status === 'authenticated') {
    const from = (location.state as FromState | null)?.from;
    return <Navigate to={from && from.startsWith('/') && !from.startsWith('//') ? from : '/'} replace />;
  }
  return <Outlet />;
}

/** While the user's role demands 2FA they have not set up, the API answers nothing else. */
export function RequireMfaEnrolled() {
  const { me } = useAuth();
  if (me?.mfaEnrollmentRequired) return <Navigate to="/setup-2fa" replace />;
  return <Outlet />;
}

export function RequirePermission({ anyOf, children }: { anyOf: Permission[]; children: ReactNode }) {
  const { can } = useAuth();
  if (!anyOf.some((p) => can(p))) return <ForbiddenPage />;
  return <>{children}</>;
}
