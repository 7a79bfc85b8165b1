import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Customer360, TouchPoint } from '../../api/types';

export const TIMELINE_PAGE_SIZE = 20;

/** `firstPage`, the unfiltered first page the 360 view already carries, saves a request on arrival. */
export function useTimeline(customerId: string, touchPoints: TouchPoint[], divisionIds: string[], firstPage?: Customer360['timeline']) {
  const unfiltered = !touchPoints.length && !divisionIds.length;
  return useInfiniteQuery({
    queryKey: ['interactions', { customerId, touchPoints, divisionIds }],
    queryFn: ({ pageParam, signal }) =>
      api.get('/api/v1/interactions', {
        query: {
          customerId,
          touchPoint: touchPoints.length ? touchPoints.join(',') : undefined,
          divisionId: divisionIds.length ? divisionIds.join(',') : undefined,
          limit: TIMELINE_PAGE_SIZE,
          cursor: pageParam ?? undefined,
        },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    initialData: unfiltered && firstPage ? { pages: [firstPage], pageParams: [null] } : undefined,
  });
}
