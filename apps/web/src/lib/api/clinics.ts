import { useQuery } from '@tanstack/react-query';
import { ClinicList } from '@sanita/contracts/clinics';
import { useApi } from './ApiProvider.tsx';
import { endpoint } from './endpoint.ts';

const listClinics = endpoint('GET', '/api/clinics', { response: ClinicList });

/** Every clinic of the organisation (public list: registration and admin pickers use it). */
export function useClinics() {
  const api = useApi();
  return useQuery({
    queryKey: ['clinics', 'public'],
    queryFn: ({ signal }) => api.call(listClinics, { signal }),
    staleTime: 5 * 60_000,
  });
}
