import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export type Interval = 'week' | 'month' | 'quarter';

/** The window ends at the start of tomorrow (UTC) so the key is stable through the day and today counts. */
export function windowOf(months: number): { from: string; to: string } {
  const to = new Date();
  to.setUTCHours(24, 0, 0, 0);
  const from = new Date(to);
  from.setUTCMonth(from.getUTCMonth() - months);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** The total-customer-experience measures over a window: one call over time, one per division, one in total. */
export function useExperience(opts: { months: number; interval: Interval; divisionId: string | null }) {
  const { from, to } = windowOf(opts.months);
  const divisionId = opts.divisionId ?? undefined;
  const get = (interval: Interval | 'all', byDivision?: boolean) => ({
    queryKey: ['experience', from, to, interval, divisionId ?? null, byDivision ?? false],
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api.get('/api/v1/sales/measures', { query: { from, to, interval, divisionId, byDivision: byDivision ? 'true' : undefined }, signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  return {
    overTime: useQuery(get(opts.interval)),
    total: useQuery(get('all')),
    byDivision: useQuery(get('all', true)),
  };
}
