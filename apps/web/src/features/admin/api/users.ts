import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from '@sinclair/typebox';
import * as C from '@sanita/contracts/admin';
import { Ok } from '@sanita/contracts/common';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';
import { useCursorQuery } from '../../../lib/api/useCursorQuery.ts';

const routes = {
  list: endpoint('GET', '/api/admin/users', { query: C.UsersQuery, response: C.UsersPage }),
  get: endpoint('GET', '/api/admin/users/:id', { response: C.AdminUser }),
  invite: endpoint('POST', '/api/admin/users', { body: C.InviteBody, response: C.AdminUser }),
  update: endpoint('PATCH', '/api/admin/users/:id', { body: C.UpdateUserBody, response: C.AdminUser }),
  memberships: endpoint('PUT', '/api/admin/users/:id/memberships', { body: C.MembershipsBody, response: C.AdminUser }),
  unlock: endpoint('POST', '/api/admin/users/:id/unlock', { response: C.AdminUser }),
  resendInvitation: endpoint('POST', '/api/admin/users/:id/invitation', { response: Ok }),
};

export type AdminUser = Static<typeof C.AdminUser>;
export type UserMembership = AdminUser['memberships'][number];
export type InviteInput = BodyOf<typeof routes.invite>;

const keys = {
  all: ['admin', 'users'] as const,
  list: (q: string) => ['admin', 'users', 'list', q] as const,
  detail: (id: string) => ['admin', 'users', 'detail', id] as const,
};

export function useUsers(q: string) {
  const api = useApi();
  return useCursorQuery(keys.list(q), (cursor, signal) => api.call(routes.list, { query: { q, limit: 25, cursor }, signal }));
}

export function useUser(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: keys.detail(id ?? ''),
    queryFn: ({ signal }) => api.call(routes.get, { params: { id: id ?? '' }, signal }),
    enabled: !!id,
  });
}

/** A change to a user answers with the user (an invitation resent, with ok): list and drawer follow. */
function useUserMutation<V, R extends AdminUser | Static<typeof Ok>>(fn: (variables: V) => Promise<R>) {
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
  return useUserMutation((body: InviteInput) => api.call(routes.invite, { body }));
}

export function useUpdateUser(id: string) {
  const api = useApi();
  return useUserMutation((body: BodyOf<typeof routes.update>) => api.call(routes.update, { params: { id }, body }));
}

export function useSetMemberships(id: string) {
  const api = useApi();
  return useUserMutation((memberships: UserMembership[]) =>
    api.call(routes.memberships, { params: { id }, body: { memberships } }),
  );
}

export function useUnlockUser(id: string) {
  const api = useApi();
  return useUserMutation(() => api.call(routes.unlock, { params: { id } }));
}

export function useResendInvitation(id: string) {
  const api = useApi();
  return useUserMutation(() => api.call(routes.resendInvitation, { params: { id } }));
}
