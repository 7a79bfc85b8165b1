import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type RequestOptions, type ResponseOf, type Schemas } from '../../api/client';

export type Case = Schemas['Case'];
export type CaseDetail = Schemas['CaseDetail'];
export type CaseStatus = Case['status'];
export type CaseKind = Case['kind'];
export type Priority = Case['priority'];
export type RootCause = NonNullable<Case['rootCause']>;
export type Alarm = Schemas['Alarm'];
export type CareEpisode = Schemas['CareEpisode'];
export type RecoveryAction = Schemas['RecoveryAction'];
export type AssignmentDecision = Schemas['AssignmentDecision'];
export type CaseEvent = Schemas['CaseEvent'];
export type CustomerService = Schemas['CustomerService'];
export type LifecycleMeasures = ResponseOf<'/api/v1/lifecycle/measures', 'get'>;
export type SurveyResults = ResponseOf<'/api/v1/surveys/results', 'get'>;

export const CASE_KINDS: CaseKind[] = ['complaint', 'request', 'incident', 'question'];
export const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];
export const STATUSES: CaseStatus[] = ['open', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'];
export const ROOT_CAUSES: RootCause[] = ['product', 'process', 'people', 'system', 'communication', 'pricing', 'third_party', 'customer', 'other'];
export const TOUCH_POINTS: CaseDetail['touchPoint'][] = ['branch', 'call_centre', 'web', 'email', 'kiosk', 'field_service', 'mobile', 'chat', 'mail'];

/** The server's state machine (src/modules/service/cases/status.ts), so the drawer offers only moves it accepts. */
export const NEXT_STATUS: Record<CaseStatus, CaseStatus[]> = {
  open: ['in_progress', 'waiting_on_customer', 'resolved'],
  in_progress: ['waiting_on_customer', 'resolved'],
  waiting_on_customer: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: [],
};

export const CASE_PAGE_SIZE = 50;

export interface CaseFilters {
  divisionId: string | null;
  teamId: string | null;
  status: CaseStatus[];
  priority: Priority | null;
  kind: CaseKind | null;
}

/**
 * Keyset-paged cases. The API filters by division, kind, status and queue team; priority is not an API filter, so
 * it narrows the loaded pages in the browser (and the count says "of those loaded").
 */
export function useCases(filters: CaseFilters) {
  return useInfiniteQuery({
    queryKey: ['service', 'cases', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get('/api/v1/cases', {
        query: {
          limit: CASE_PAGE_SIZE,
          cursor: pageParam ?? undefined,
          divisionId: filters.divisionId ?? undefined,
          queueTeamId: filters.teamId ?? undefined,
          kind: filters.kind ?? undefined,
          status: filters.status.length ? filters.status.join(',') : undefined,
          open: filters.status.length ? undefined : 'true',
        },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useQueues() {
  return useQuery({ queryKey: ['service', 'queues'], queryFn: ({ signal }) => api.get('/api/v1/queues', { signal }).then((r) => r.items) });
}

export function useTeams() {
  return useQuery({ queryKey: ['teams'], queryFn: ({ signal }) => api.get('/api/v1/teams', { signal }).then((r) => r.items), staleTime: 5 * 60_000 });
}

export function useStaff(divisionId: string | undefined) {
  return useQuery({
    queryKey: ['staff', divisionId],
    queryFn: ({ signal }) => api.get('/api/v1/staff', { query: { divisionId }, signal }).then((r) => r.items),
    enabled: !!divisionId,
  });
}

export function useCase(id: string | null) {
  return useQuery({
    queryKey: ['service', 'case', id],
    queryFn: ({ signal }) => api.get('/api/v1/cases/{id}', { path: { id: id ?? '' }, signal }),
    enabled: !!id,
  });
}

export function useCaseEvents(id: string) {
  return useQuery({ queryKey: ['service', 'case', id, 'events'], queryFn: ({ signal }) => api.get('/api/v1/cases/{id}/events', { path: { id }, signal }).then((r) => r.items) });
}

export function useAssignment(id: string) {
  return useQuery({ queryKey: ['service', 'case', id, 'assignment'], queryFn: ({ signal }) => api.get('/api/v1/cases/{id}/assignment', { path: { id }, signal }).then((r) => r.items) });
}

/** After any change to a case, everything that shows it (queues, the drawer, the customer's card) reads again. */
function useRefreshService() {
  const qc = useQueryClient();
  return (detail?: CaseDetail) => {
    if (detail) qc.setQueryData(['service', 'case', detail.id], detail);
    void qc.invalidateQueries({ queryKey: ['service'] });
    void qc.invalidateQueries({ queryKey: ['customers'] });
  };
}

export function useMoveCase(id: string) {
  const refresh = useRefreshService();
  return useMutation({
    mutationFn: (body: { status: CaseStatus; note?: string; rootCause?: RootCause }) => api.post('/api/v1/cases/{id}/status', { path: { id }, body }),
    onSuccess: refresh,
  });
}

export function useRespond(id: string) {
  const refresh = useRefreshService();
  return useMutation({ mutationFn: (note: string) => api.post('/api/v1/cases/{id}/responses', { path: { id }, body: { note } }), onSuccess: refresh });
}

export function useOverrideAssignment(id: string) {
  const refresh = useRefreshService();
  return useMutation({
    mutationFn: (body: { reason: string; userId?: string }) => api.post('/api/v1/cases/{id}/assignment', { path: { id }, body }),
    onSuccess: refresh,
  });
}

export type NewCase = RequestOptions<'/api/v1/cases', 'post'>['body'];

export function useOpenCase() {
  const refresh = useRefreshService();
  return useMutation({ mutationFn: (body: NewCase) => api.post('/api/v1/cases', { body }), onSuccess: refresh });
}

export function useCustomerService(customerId: string) {
  return useQuery({
    queryKey: ['customers', customerId, 'service'],
    queryFn: ({ signal }) => api.get('/api/v1/customers/{id}/service', { path: { id: customerId }, signal }),
  });
}

export function useCustomerLifecycle(customerId: string) {
  return useQuery({
    queryKey: ['customers', customerId, 'lifecycle'],
    queryFn: ({ signal }) => api.get('/api/v1/customers/{id}/lifecycle', { path: { id: customerId }, signal }),
  });
}

export function useCustomerCare(customerId: string | null) {
  return useQuery({
    queryKey: ['service', 'care', customerId],
    queryFn: ({ signal }) => api.get('/api/v1/customers/{id}/care', { path: { id: customerId ?? '' }, signal }).then((r) => r.items),
    enabled: !!customerId,
  });
}

export function useUpdateRecoveryAction() {
  const refresh = useRefreshService();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; status: RecoveryAction['status']; note?: string; amount?: number | null }) =>
      api.patch('/api/v1/recovery-actions/{id}', { path: { id }, body }),
    onSuccess: () => refresh(),
  });
}

export function useAlarms(kind: Alarm['kind'] | null) {
  return useInfiniteQuery({
    queryKey: ['service', 'alarms', kind],
    queryFn: ({ pageParam, signal }) => api.get('/api/v1/alarms', { query: { limit: 100, cursor: pageParam ?? undefined, kind: kind ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useLifecycleMeasures() {
  return useQuery({ queryKey: ['service', 'lifecycle'], queryFn: ({ signal }) => api.get('/api/v1/lifecycle/measures', { query: {}, signal }) });
}

export function useSurveyResults(kind: 'nps' | 'csat' | 'ces', groupBy: 'division' | 'touchPoint' | 'staff') {
  return useQuery({
    queryKey: ['service', 'surveys', kind, groupBy],
    queryFn: ({ signal }) => api.get('/api/v1/surveys/results', { query: { kind, groupBy }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** A customer's name for rows that carry only the id; cached, so a name is fetched once per session. */
export function useCustomerName(id: string) {
  return useQuery({
    queryKey: ['customers', id, 'name'],
    queryFn: ({ signal }) => api.get('/api/v1/customers/{id}', { path: { id }, signal }).then((c) => c.displayName),
    staleTime: 10 * 60_000,
  });
}
