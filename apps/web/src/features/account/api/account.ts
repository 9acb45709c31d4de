import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from '@sinclair/typebox';
import * as C from '@sanita/contracts/auth';
import { Ok } from '@sanita/contracts/common';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';

const routes = {
  twoFactor: endpoint('GET', '/api/auth/2fa', { response: C.TwoFactorStatus }),
  setup: endpoint('POST', '/api/auth/2fa/setup', { response: C.TotpSetup }),
  enable: endpoint('POST', '/api/auth/2fa/enable', { body: C.TotpCodeBody, response: C.RecoveryCodes }),
  disable: endpoint('POST', '/api/auth/2fa/disable', { body: C.DisableTotpBody, response: Ok }),
  changePassword: endpoint('POST', '/api/auth/password', { body: C.ChangePasswordBody, response: Ok }),
  sessions: endpoint('GET', '/api/auth/sessions', { response: C.SessionList }),
  revokeSession: endpoint('DELETE', '/api/auth/sessions/:id', { response: Ok }),
  revokeOthers: endpoint('DELETE', '/api/auth/sessions', { response: C.RevokedSessions }),
};

export type TwoFactorStatus = Static<typeof C.TwoFactorStatus>;
export type TotpSetup = Static<typeof C.TotpSetup>;
export type SessionInfo = C.SessionView;

const keys = {
  twoFactor: ['auth', '2fa'] as const,
  sessions: ['auth', 'sessions'] as const,
};

export function useTwoFactorStatus() {
  const api = useApi();
  return useQuery({ queryKey: keys.twoFactor, queryFn: ({ signal }) => api.call(routes.twoFactor, { signal }) });
}

export function useStartTwoFactorSetup() {
  const api = useApi();
  return useMutation({ mutationFn: () => api.call(routes.setup) });
}

export function useEnableTwoFactor() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api.call(routes.enable, { body: { code } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.twoFactor }),
  });
}

export function useDisableTwoFactor() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.disable>) => api.call(routes.disable, { body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.twoFactor }),
  });
}

export function useChangePassword() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.changePassword>) => api.call(routes.changePassword, { body }),
    // Changing the password ends the other sessions on the server.
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.sessions }),
  });
}

export function useSessions() {
  const api = useApi();
  return useQuery({
    queryKey: keys.sessions,
    queryFn: ({ signal }) => api.call(routes.sessions, { signal }),
  });
}

export function useRevokeSession() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.call(routes.revokeSession, { params: { id } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.sessions }),
  });
}

export function useRevokeOtherSessions() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.call(routes.revokeOthers),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.sessions }),
  });
}
