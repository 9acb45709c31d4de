import { useMutation, useQuery } from '@tanstack/react-query';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import type { Sex } from '../../../lib/api/types.ts';

export interface RegisterInput {
  email: string;
  password: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: Sex;
  phone?: string;
  clinicId: string;
  locale?: string;
}

export function useRegister() {
  const api = useApi();
  return useMutation({ mutationFn: (body: RegisterInput) => api.post<unknown>('/api/auth/register', body) });
}

export function useForgotPassword() {
  const api = useApi();
  return useMutation({ mutationFn: (email: string) => api.post<unknown>('/api/auth/password/forgot', { email }) });
}

export function useResetPassword() {
  const api = useApi();
  return useMutation({
    mutationFn: (body: { token: string; password: string }) => api.post<unknown>('/api/auth/password/reset', body),
  });
}

export function useAcceptInvitation() {
  const api = useApi();
  return useMutation({
    mutationFn: (body: { token: string; password: string }) => api.post<unknown>('/api/auth/invitations/accept', body),
  });
}

/** A query, not a mutation, so that a double mount (React strict mode) spends the one-time token once. */
export function useVerifyEmail(token: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['verify-email', token],
    queryFn: () => api.post<unknown>('/api/auth/verify-email', { token }),
    enabled: token.length > 0,
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
