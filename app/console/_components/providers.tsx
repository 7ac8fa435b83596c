'use client';
// TanStack Query + tRPC for every console page. An expired session on any call sends the operator
// to the sign-in page instead of showing a broken page.
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { useState, type ReactNode } from 'react';
import type { AppRouter } from '@/server/trpc/router';
import { TRPCProvider } from '../_lib/trpc';

function onError(error: unknown) {
  if (error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED') {
    if (!window.location.pathname.startsWith('/console/sign-in')) window.location.assign('/console/sign-in');
  }
}

const isClientError = (error: unknown) =>
  error instanceof TRPCClientError && ((error.data as { httpStatus?: number } | undefined)?.httpStatus ?? 500) < 500;

export function ConsoleProviders({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError }),
        mutationCache: new MutationCache({ onError }),
        defaultOptions: {
          queries: { staleTime: 5_000, refetchOnWindowFocus: false, retry: (count, error) => !isClientError(error) && count < 2 },
          mutations: { retry: false },
        },
      }),
  );
  const [trpcClient] = useState(() => createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/api/trpc' })] }));
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
