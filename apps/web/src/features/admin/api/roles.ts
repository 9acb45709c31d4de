import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../lib/api/ApiProvider.tsx';

export interface RoleDefinition {
  id: string;
  requireMfa: boolean;
  isStaff: boolean;
  permissions: string[];
}

const key = ['admin', 'roles'] as const;

export function useRoles() {
  const api = useApi();
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<{ roles: RoleDefinition[]; permissions: string[] }>('/api/admin/roles', { signal }),
  });
}

export function useSaveRole() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; permissions: string[]; requireMfa: boolean }) =>
      api.put<RoleDefinition>(`/api/admin/roles/${encodeURIComponent(id)}`, body),
    onSuccess: (role) => {
      queryClient.setQueryData<{ roles: RoleDefinition[]; permissions: string[] }>(key, (old) =>
        old ? { ...old, roles: old.roles.map((r) => (r.id === role.id ? role : r)) } : old,
      );
    },
  });
}
