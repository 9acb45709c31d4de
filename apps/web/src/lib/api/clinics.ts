import { useQuery } from '@tanstack/react-query';
import { useApi } from './ApiProvider.tsx';
import type { PublicClinic } from './types.ts';

/** Every clinic of the organisation (public list: registration and admin pickers use it). */
export function useClinics() {
  const api = useApi();
  return useQuery({
    queryKey: ['clinics', 'public'],
    queryFn: ({ signal }) => api.get<{ data: PublicClinic[] }>('/api/clinics', { signal }),
    staleTime: 5 * 60_000,
  });
}
