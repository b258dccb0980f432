import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderOptions } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import '@/i18n';
import i18n from '@/i18n';

/** Renders with Mantine, a fresh QueryClient (returned for cache assertions) and a router at `route`. */
export function renderWithProviders(ui: ReactElement, options?: RenderOptions & { route?: string }) {
  void i18n.changeLanguage('en');
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const { route, ...rest } = options ?? {};
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={route ? [route] : undefined}>{children}</MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
  return { ...render(ui, { wrapper: Wrapper, ...rest }), queryClient };
}
