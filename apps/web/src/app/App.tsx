import { useState } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { ApiClient } from '../lib/api/client.ts';
import { ApiProvider } from '../lib/api/ApiProvider.tsx';
import { ApiError } from '../lib/api/errors.ts';
import { AuthProvider } from '../lib/auth/AuthProvider.tsx';
import { clinicPreference } from '../lib/clinicPreference.ts';
import { router } from './router.tsx';
import { cssVariablesResolver, theme } from './theme.ts';

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx will not change by asking again; a network blip or a 5xx might.
        retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}

export function App() {
  const [queryClient] = useState(makeQueryClient);
  const [api] = useState(() => new ApiClient(clinicPreference));

  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <Notifications position="bottom-right" limit={4} />
      <QueryClientProvider client={queryClient}>
        <ApiProvider client={api}>
          <AuthProvider>
            <RouterProvider router={router} />
          </AuthProvider>
        </ApiProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
