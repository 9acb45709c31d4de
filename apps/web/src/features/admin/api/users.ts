import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import type { Page } from '../../../lib/api/types.ts';
import { useCursorQuery } from '../../../lib/api/useCursorQuery.ts';

export interface UserMembership {
  clinicId: string;
  role: string;
}

export interface AdminUser {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  active: boolean;
  mfaEnrolled: boolean;
  lockedUntil: string | null;
  invitationPending: boolean;
  memberships: UserMembership[];
  createdAt: string;
}

export interface InviteInput {
  email: string;
  displayName: string;
  locale: string;
  memberships: UserMembership[];
}

const keys = {
  all: ['admin', 'users'] as const,
  list: (q: string) => ['admin', 'users', 'list', q] as const,
  detail: (id: string) => ['admin', 'users', 'detail', id] as const,
};

export function useUsers(q: string) {
  const api = useApi();
  return useCursorQuery<AdminUser>(keys.list(q), (cursor, signal) =>
    api.get<Page<AdminUser>>('/api/admin/users', { query: { q, limit: 25, cursor }, signal }),
  );
}

export function useUser(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: keys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<AdminUser>(`/api/admin/users/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: !!id,
  });
}

/** Every change to a user answers with the user; keep the list and the drawer in step with it. */
function useUserMutation<V>(fn: (variables: V) => Promise<AdminUser>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (user) => {
      if (user && typeof user === 'object' && 'id' in user) queryClient.setQueryData(keys.detail(user.id), user);
      void queryClient.invalidateQueries({ queryKey: keys.all });
    },
  });
}

export function useInviteUser() {
  const api = useApi();
  return useUserMutation((body: InviteInput) => api.post<AdminUser>('/api/admin/users', body));
}

export function useUpdateUser(id: string) {
  const api = useApi();
  return useUserMutation((body: { displayName?: string; locale?: string; active?: boolean }) =>
    api.patch<AdminUser>(`/api/admin/users/${encodeURIComponent(id)}`, body),
  );
}

export function useSetMemberships(id: string) {
  const api = useApi();
  return useUserMutation((memberships: UserMembership[]) =>
    api.put<AdminUser>(`/api/admin/users/${encodeURIComponent(id)}/memberships`, { memberships }),
  );
}

export function useUnlockUser(id: string) {
  const api = useApi();
  return useUserMutation(() => api.post<AdminUser>(`/api/admin/users/${encodeURIComponent(id)}/unlock`));
}

export function useResendInvitation(id: string) {
  const api = useApi();
  return useUserMutation(() => api.post<AdminUser>(`/api/admin/users/${encodeURIComponent(id)}/invitation`));
}
