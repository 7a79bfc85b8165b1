import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../../api/client';

export type ReviewPair = Schemas['ReviewPair'];
export type ClusterChange = Schemas['ClusterChange'];
export type Job = Schemas['Job'];
export type ImportRowIssue = Schemas['ImportRowIssue'];
export type ClusterEvent = NonNullable<Awaited<ReturnType<typeof fetchHistory>>>['items'][number];

/** The server caps a page at 200; the queue shows that many and the count says when there are more. */
export const REVIEW_LIMIT = 200;

export function useReviewPairs() {
  return useQuery({
    queryKey: ['review-pairs', 'pending'],
    queryFn: ({ signal }) => api.get('/api/v1/review-pairs', { query: { status: 'pending', limit: REVIEW_LIMIT }, signal }).then((r) => r.items),
  });
}

/** One division record; the queue and the comparison share the cache, so a pair opens without a new request. */
export function useSourceRecord(id: string | null | undefined, enabled = true) {
  return useQuery({
    queryKey: ['source-records', id],
    queryFn: ({ signal }) => api.get('/api/v1/source-records/{id}', { path: { id: id! }, signal }),
    enabled: Boolean(id) && enabled,
    staleTime: 60_000,
  });
}

export function useSourceSystems() {
  return useQuery({
    queryKey: ['source-systems'],
    queryFn: ({ signal }) => api.get('/api/v1/source-systems', { signal }).then((r) => r.items),
    staleTime: 5 * 60_000,
  });
}

/** After a merge, split or decision every customer view may be stale: their records moved. */
export function invalidateClusters(queryClient: QueryClient) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ['customers'] }),
    queryClient.invalidateQueries({ queryKey: ['review-pairs'] }),
    queryClient.invalidateQueries({ queryKey: ['source-records'] }),
    queryClient.invalidateQueries({ queryKey: ['cluster-history'] }),
    queryClient.invalidateQueries({ queryKey: ['search'] }),
  ]);
}

export function useDecidePair() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { pair: ReviewPair; verdict: 'accept' | 'reject'; reason?: string }) =>
      api.post('/api/v1/review-pairs/{id}/decision', { path: { id: v.pair.id }, body: { verdict: v.verdict, reason: v.reason?.trim() || undefined } }),
    onSuccess: (_result, v) => {
      // Drop the pair at once so the next one is on screen while the queue reloads.
      queryClient.setQueryData<ReviewPair[]>(['review-pairs', 'pending'], (pairs) => pairs?.filter((p) => p.id !== v.pair.id));
      return invalidateClusters(queryClient);
    },
    // Someone else may have decided the pair (409) or a run superseded it: show the queue as it is now.
    onError: () => queryClient.invalidateQueries({ queryKey: ['review-pairs'] }),
  });
}

function fetchHistory(id: string, signal?: AbortSignal) {
  return api.get('/api/v1/customers/{id}/history', { path: { id }, signal });
}

export function useClusterHistory(customerId: string) {
  return useQuery({
    queryKey: ['cluster-history', customerId],
    queryFn: ({ signal }) => fetchHistory(customerId, signal).then((r) => r.items),
  });
}

/**
 * `onDone` runs here rather than in mutate()'s own callbacks: the button that started a split or unmerge is
 * usually gone once the customer reloads (its record moved), and mutate()'s callbacks die with it.
 */
export function useSplitRecords(customerId: string, onDone?: (change: ClusterChange) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { sourceRecordIds: string[]; reason?: string }) =>
      api.post('/api/v1/customers/{id}/split', { path: { id: customerId }, body: { sourceRecordIds: v.sourceRecordIds, reason: v.reason?.trim() || undefined } }),
    onSuccess: (change) => {
      onDone?.(change);
      return invalidateClusters(queryClient);
    },
  });
}

export function useUnmerge(customerId: string, onDone?: (change: ClusterChange) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { reason?: string }) => api.post('/api/v1/customers/{id}/unmerge', { path: { id: customerId }, body: { reason: v.reason?.trim() || undefined } }),
    onSuccess: (change) => {
      onDone?.(change);
      return invalidateClusters(queryClient);
    },
  });
}

/** Staff names for "who did this"; a user you may not see stays "a member of staff". */
export function useStaffName(userId: string | null) {
  return useQuery({
    queryKey: ['users', userId],
    queryFn: ({ signal }) => api.get('/api/v1/users/{id}', { path: { id: userId! }, signal }).then((u) => u.displayName),
    enabled: Boolean(userId),
    staleTime: 10 * 60_000,
    retry: false,
  });
}

const FINISHED: Job['status'][] = ['succeeded', 'failed', 'cancelled'];
export const isFinished = (job: Job | undefined) => !!job && FINISHED.includes(job.status);

/** A long-running job, polled every half second until it finishes. */
export function useJob(id: string | null) {
  return useQuery({
    queryKey: ['jobs', id],
    queryFn: ({ signal }) => api.get('/api/v1/jobs/{id}', { path: { id: id! }, signal }),
    enabled: Boolean(id),
    refetchInterval: (query) => (isFinished(query.state.data) ? false : 500),
    staleTime: 0,
  });
}

export function useStartResolution() {
  return useMutation({ mutationFn: (full: boolean) => api.post('/api/v1/resolution-runs', { body: { full } }) });
}

export function useImportIssues(jobId: string | null, which: 'errors' | 'warnings', offset: number, enabled: boolean) {
  return useQuery({
    queryKey: ['imports', jobId, which, offset],
    queryFn: ({ signal }) =>
      which === 'errors'
        ? api.get('/api/v1/imports/{id}/errors', { path: { id: jobId! }, query: { offset, limit: ISSUE_PAGE }, signal })
        : api.get('/api/v1/imports/{id}/warnings', { path: { id: jobId! }, query: { offset, limit: ISSUE_PAGE }, signal }),
    enabled: Boolean(jobId) && enabled,
  });
}
export const ISSUE_PAGE = 50;
