import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../lib/api/ApiProvider.tsx';

export interface TwoFactorStatus {
  enabled: boolean;
  recoveryCodesLeft: number;
  required: boolean;
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

const keys = {
  twoFactor: ['auth', '2fa'] as const,
  sessions: ['auth', 'sessions'] as const,
};

export function useTwoFactorStatus() {
  const api = useApi();
  return useQuery({ queryKey: keys.twoFactor, queryFn: ({ signal }) => api.get<TwoFactorStatus>('/api/auth/2fa', { signal }) });
}

export function useStartTwoFactorSetup() {
  const api = useApi();
  return useMutation({ mutationFn: () => api.post<TotpSetup>('/api/auth/2fa/setup') });
}

export function useEnableTwoFactor() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api.post<{ recoveryCodes: string[] }>('/api/auth/2fa/enable', { code }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.twoFactor }),
  });
}

export function useDisableTwoFactor() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { password: string; code: string }) => api.post<unknown>('/api/auth/2fa/disable', body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.twoFactor }),
  });
}

export function useChangePassword() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => api.post<unknown>('/api/auth/password', body),
    // Changing the password ends the other sessions on the server.
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.sessions }),
  });
}

export function useSessions() {
  const api = useApi();
  return useQuery({
    queryKey: keys.sessions,
    queryFn: ({ signal }) => api.get<{ data: SessionInfo[] }>('/api/auth/sessions', { signal }),
  });
}

export function useRevokeSession() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/api/auth/sessions/${encodeURIComponent(id)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.sessions }),
  });
}

export function useRevokeOtherSessions() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<{ revoked: number }>('/api/auth/sessions'),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.sessions }),
  });
}
