import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { CustomerSort } from '../../api/types';

export const CUSTOMER_PAGE_SIZE = 50;

export interface CustomerFilters {
  q: string;
  divisionId: string | null;
  sort: CustomerSort;
}

/** Keyset-paged customers; a name query switches the server to ranked (single page) results. */
export function useCustomerList(filters: CustomerFilters) {
  return useInfiniteQuery({
    queryKey: ['customers', 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get('/api/v1/customers', {
        query: {
          limit: CUSTOMER_PAGE_SIZE,
          cursor: pageParam ?? undefined,
          q: filters.q || undefined,
          divisionId: filters.divisionId ?? undefined,
          sort: filters.q ? undefined : filters.sort,
        },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

/** The 360° view: profile, records by division, holdings, insights and the first page of the timeline in one call. */
export function useCustomer360(id: string, timelineLimit: number) {
  return useQuery({
    queryKey: ['customers', id, '360'],
    queryFn: ({ signal }) => api.get('/api/v1/customers/{id}/360', { path: { id }, query: { timelineLimit }, signal }),
  });
}
