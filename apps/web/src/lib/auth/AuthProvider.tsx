import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/ApiProvider.tsx';
import type { Static } from '@sinclair/typebox';
import { MeView, type LoginBody } from '@sanita/contracts/auth';
import { endpoint } from '../api/endpoint.ts';
import { clinicPreference } from '../clinicPreference.ts';
import { notify } from '../errors.ts';
import { i18n } from '../i18n/i18n.ts';
import type { Permission } from './permissions.ts';

type Me = Static<typeof MeView>;
type ClinicSummary = Me['clinics'][number];
const getMe = endpoint('GET', '/api/auth/me', { response: MeView });

export type AuthStatus = 'loading' | 'anonymous' | 'authenticated';

export type LoginInput = Static<typeof LoginBody>;

interface AuthContextValue {
  status: AuthStatus;
  me: Me | null;
  /** Why the last session ended; after an explicit sign-out the next sign-in starts from home. */
  endedBy: 'logout' | 'expired' | null;
  activeClinic: ClinicSummary | null;
  login: (input: LoginInput) => Promise<Me>;
  logout: () => Promise<void>;
  switchClinic: (clinicId: string) => Promise<void>;
  reloadMe: () => Promise<Me>;
  can: (permission: Permission) => boolean;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<AuthStatus>(api.signedIn ? 'authenticated' : 'loading');
  const [me, setMe] = useState<Me | null>(null);
  const [endedBy, setEndedBy] = useState<'logout' | 'expired' | null>(null);

  useEffect(() => {
    const unsubscribe = api.subscribe((event) => {
      switch (event.type) {
        case 'signed-in':
          setMe(event.response.user);
          setStatus('authenticated');
          setEndedBy(null);
          break;
        case 'signed-out':
          setMe(null);
          setStatus('anonymous');
          setEndedBy(event.reason);
          queryClient.clear();
          if (event.reason === 'expired') {
            notify({ color: 'orange', title: i18n.t('auth.sessionEnded.title'), message: i18n.t('auth.sessionEnded.message') });
          }
          break;
        case 'mfa-enrollment-required':
          setMe((current) => (current ? { ...current, mfaEnrollmentRequired: true } : current));
          break;
      }
    });
    // Restores the session of a reload or a new tab from the refresh cookie.
    api.refresh().catch(() => setStatus((s) => (s === 'loading' ? 'anonymous' : s)));
    return unsubscribe;
    // Runs once per client: re-running would spend the refresh token again.
  }, [api, queryClient]);

  const reloadMe = useCallback(async () => {
    const fresh = await api.call(getMe);
    setMe(fresh);
    return fresh;
  }, [api]);

  const value = useMemo<AuthContextValue>(() => {
    const permissions = new Set(me?.permissions ?? []);
    return {
      status,
      me,
      endedBy,
      activeClinic: me?.clinics.find((c) => c.id === me.clinicId) ?? null,
      login: async (input) => (await api.login(input)).user,
      logout: () => api.logout(),
      reloadMe,
      switchClinic: async (clinicId) => {
        clinicPreference.set(clinicId);
        await reloadMe();
        // Everything cached was read with the previous clinic's permissions and scope.
        await queryClient.resetQueries();
      },
      can: (permission) => permissions.has(permission),
    };
  }, [api, me, endedBy, queryClient, reloadMe, status]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The signed-in user; only for components rendered behind the authentication guard. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe needs a signed-in user');
  return me;
}
