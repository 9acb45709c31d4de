import { useMutation, useQuery } from '@tanstack/react-query';
import * as C from '@sanita/contracts/auth';
import { Ok } from '@sanita/contracts/common';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';

const routes = {
  register: endpoint('POST', '/api/auth/register', { body: C.RegisterBody, response: Ok }),
  forgot: endpoint('POST', '/api/auth/password/forgot', { body: C.ForgotBody, response: Ok }),
  reset: endpoint('POST', '/api/auth/password/reset', { body: C.ResetBody, response: Ok }),
  acceptInvitation: endpoint('POST', '/api/auth/invitations/accept', { body: C.AcceptInvitationBody, response: Ok }),
  verifyEmail: endpoint('POST', '/api/auth/verify-email', { body: C.TokenBody, response: Ok }),
};

export type RegisterInput = BodyOf<typeof routes.register>;

export function useRegister() {
  const api = useApi();
  return useMutation({ mutationFn: (body: RegisterInput) => api.call(routes.register, { body }) });
}

export function useForgotPassword() {
  const api = useApi();
  return useMutation({ mutationFn: (email: string) => api.call(routes.forgot, { body: { email } }) });
}

export function useResetPassword() {
  const api = useApi();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.reset>) => api.call(routes.reset, { body }),
  });
}

export function useAcceptInvitation() {
  const api = useApi();
  return useMutation({
    mutationFn: (body: BodyOf<typeof routes.acceptInvitation>) => api.call(routes.acceptInvitation, { body }),
  });
}

/** A query, not a mutation, so that a double mount (React strict mode) spends the one-time token once. */
export function useVerifyEmail(token: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['verify-email', token],
    queryFn: () => api.call(routes.verifyEmail, { body: { token } }),
    enabled: token.length > 0,
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
