import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from '@sinclair/typebox';
import { RoleBody, RolesView, RoleView } from '@sanita/contracts/admin';
import { useApi } from '../../../lib/api/ApiProvider.tsx';
import { endpoint, type BodyOf } from '../../../lib/api/endpoint.ts';

const routes = {
  list: endpoint('GET', '/api/admin/roles', { response: RolesView }),
  save: endpoint('PUT', '/api/admin/roles/:id', { body: RoleBody, response: RoleView }),
};

export type RoleDefinition = Static<typeof RoleView>;
type Roles = Static<typeof RolesView>;

const key = ['admin', 'roles'] as const;

export function useRoles() {
  const api = useApi();
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.call(routes.list, { signal }),
  });
}

export function useSaveRole() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string } & BodyOf<typeof routes.save>) => api.call(routes.save, { params: { id }, body }),
    onSuccess: (role) => {
      queryClient.setQueryData<Roles>(key, (old) =>
        old ? { ...old, roles: old.roles.map((r) => (r.id === role.id ? role : r)) } : old,
      );
    },
  });
}
