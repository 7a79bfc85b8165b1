import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Customer, SourceRecord } from '../../api/types';

export const MIN_SEARCH_LENGTH = 2;
const LIMIT = 8;

export type SearchHit =
  | { kind: 'customer'; id: string; customer: Customer }
  | { kind: 'record'; id: string; record: SourceRecord };

/** Customers and division records matching a name, asked in parallel; both are ranked by the server. */
export function useGlobalSearch(text: string) {
  const q = text.trim();
  const enabled = q.length >= MIN_SEARCH_LENGTH;
  const customers = useQuery({
    queryKey: ['search', 'customers', q],
    queryFn: ({ signal }) => api.get('/api/v1/customers', { query: { q, limit: LIMIT }, signal }).then((r) => r.items),
    enabled,
    staleTime: 10_000,
    placeholderData: (prev) => prev,
  });
  const records = useQuery({
    queryKey: ['search', 'records', q],
    queryFn: ({ signal }) => api.get('/api/v1/source-records', { query: { q, limit: LIMIT }, signal }).then((r) => r.items),
    enabled,
    staleTime: 10_000,
    placeholderData: (prev) => prev,
  });
  const hits: SearchHit[] = enabled
    ? [
        ...(customers.data ?? []).map((c): SearchHit => ({ kind: 'customer', id: c.id, customer: c })),
        ...(records.data ?? []).map((r): SearchHit => ({ kind: 'record', id: r.id, record: r })),
      ]
    : [];
  return {
    enabled,
    hits,
    customerCount: enabled ? customers.data?.length ?? 0 : 0,
    loading: enabled && (customers.isFetching || records.isFetching),
    settled: enabled && customers.isSuccess && records.isSuccess && !customers.isPlaceholderData && !records.isPlaceholderData,
    error: customers.error ?? records.error,
  };
}
