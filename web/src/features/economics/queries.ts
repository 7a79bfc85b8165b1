import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export const SCORED_PAGE_SIZE = 100;

export function useEconomicsSummary() {
  return useQuery({ queryKey: ['economics', 'summary'], queryFn: ({ signal }) => api.get('/api/v1/economics/summary', { signal }), staleTime: 60_000 });
}

/** The currency the book is scored in (settings); the summary itself carries bare numbers. */
export function useEconomicsCurrency() {
  const settings = useQuery({ queryKey: ['economics', 'settings'], queryFn: ({ signal }) => api.get('/api/v1/economics/settings', { signal }), staleTime: 300_000 });
  return settings.data?.currency ?? 'USD';
}

export interface ScoredFilters {
  tier: string | null;
  disposition: string | null;
  segment: string | null;
}

/** Scored customers, most valuable first, keyset-paged by the server. */
export function useScoredCustomers(filters: ScoredFilters) {
  return useInfiniteQuery({
    queryKey: ['economics', 'customers', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get('/api/v1/economics/customers', {
        query: {
          limit: SCORED_PAGE_SIZE,
          cursor: pageParam ?? undefined,
          tier: filters.tier ?? undefined,
          disposition: filters.disposition ?? undefined,
          segment: filters.segment ?? undefined,
        },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}
