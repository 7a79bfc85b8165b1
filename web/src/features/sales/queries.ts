import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../../api/client';

export type Pipeline = Schemas['Pipeline'];
export type Stage = Pipeline['stages'][number];
export type OpportunitySummary = Schemas['OpportunitySummary'];
export type SalesProduct = Schemas['SalesProduct'];
export type ProductOption = SalesProduct['definition']['options'][number];
export type PricedQuote = Schemas['PricedQuote'];
export type Quote = Schemas['Quote'];
export type SalesOrder = Schemas['SalesOrder'];
export type PriceLine = { product: string; quantity: number; configuration: Record<string, unknown>; manualDiscountPercent?: number };

export const salesKeys = {
  pipelines: ['sales', 'pipelines'] as const,
  opportunities: (pipelineId: string) => ['sales', 'opportunities', pipelineId] as const,
  opportunity: (id: string) => ['sales', 'opportunity', id] as const,
  forecast: (pipelineId: string) => ['sales', 'forecast', pipelineId] as const,
  products: ['sales', 'products'] as const,
  quote: (id: string) => ['sales', 'quote', id] as const,
  order: (id: string) => ['sales', 'order', id] as const,
  timeline: (id: string) => ['sales', 'order-timeline', id] as const,
  forCustomer: (customerId: string) => ['sales', 'customer', customerId] as const,
};

export function usePipelines() {
  return useQuery({ queryKey: salesKeys.pipelines, queryFn: ({ signal }) => api.get('/api/v1/sales/pipelines', { query: {}, signal }).then((r) => r.items) });
}

/** A board shows at most 500 open and recent deals; the count says when there are more. */
export const BOARD_LIMIT = 500;

export function useOpportunities(pipelineId: string | null) {
  return useQuery({
    queryKey: salesKeys.opportunities(pipelineId ?? ''),
    enabled: !!pipelineId,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api.get('/api/v1/sales/opportunities', { query: { pipelineId: pipelineId!, limit: BOARD_LIMIT }, signal }),
  });
}

export function useOpportunity(id: string | null) {
  return useQuery({ queryKey: salesKeys.opportunity(id ?? ''), enabled: !!id, queryFn: ({ signal }) => api.get('/api/v1/sales/opportunities/{id}', { path: { id: id! }, signal }) });
}

/** The forecast window: this year and next, so every open deal's expected close falls inside it. */
function forecastWindow() {
  const y = new Date().getUTCFullYear();
  return { from: `${y - 1}-01-01`, to: `${y + 2}-12-31` };
}

export function useForecast(pipelineId: string | null) {
  return useQuery({
    queryKey: salesKeys.forecast(pipelineId ?? ''),
    enabled: !!pipelineId,
    queryFn: ({ signal }) => api.get('/api/v1/sales/forecast', { query: { pipelineId: pipelineId!, groupBy: 'owner', ...forecastWindow() }, signal }),
  });
}

/**
 * Moves a card: the board shows the move at once and puts the card back if the server refuses it
 * (a lost stage without a reason, a deal someone else moved, no right to write).
 */
export function useMoveOpportunity(pipelineId: string) {
  const qc = useQueryClient();
  const key = salesKeys.opportunities(pipelineId);
  type Page = Awaited<ReturnType<typeof api.get<'/api/v1/sales/opportunities'>>>;
  return useMutation({
    mutationFn: (v: { id: string; stageCode: string; lostReason?: string }) =>
      api.post('/api/v1/sales/opportunities/{id}/stage', { path: { id: v.id }, body: { stageCode: v.stageCode, lostReason: v.lostReason } }),
    onMutate: async (v) => {
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData<Page>(key);
      if (before) qc.setQueryData<Page>(key, { ...before, items: before.items.map((o) => (o.id === v.id ? { ...o, stageCode: v.stageCode } : o)) });
      return { before };
    },
    onError: (_err, _v, ctx) => {
      if (ctx?.before) qc.setQueryData(key, ctx.before);
    },
    onSettled: (_d, _e, v) => {
      void qc.invalidateQueries({ queryKey: key });
      void qc.invalidateQueries({ queryKey: salesKeys.forecast(pipelineId) });
      void qc.invalidateQueries({ queryKey: salesKeys.opportunity(v.id) });
    },
  });
}

export function useProducts() {
  return useQuery({
    queryKey: salesKeys.products,
    queryFn: ({ signal }) => api.get('/api/v1/sales/products', { query: { status: 'active' }, signal }).then((r) => r.items.filter((p) => p.status === 'active')),
  });
}

export function useQuote(id: string | undefined) {
  return useQuery({ queryKey: salesKeys.quote(id ?? ''), enabled: !!id, queryFn: ({ signal }) => api.get('/api/v1/sales/quotes/{id}', { path: { id: id! }, signal }) });
}

export function useOrder(id: string | undefined) {
  return useQuery({ queryKey: salesKeys.order(id ?? ''), enabled: !!id, queryFn: ({ signal }) => api.get('/api/v1/sales/orders/{id}', { path: { id: id! }, signal }) });
}

export function useOrderTimeline(id: string | undefined) {
  return useQuery({ queryKey: salesKeys.timeline(id ?? ''), enabled: !!id, queryFn: ({ signal }) => api.get('/api/v1/sales/orders/{id}/timeline', { path: { id: id! }, signal }) });
}

/** What a customer has in sales: the 360 response does not carry it, so the card asks the sales API. */
export function useCustomerSales(customerId: string) {
  return useQuery({
    queryKey: salesKeys.forCustomer(customerId),
    queryFn: async ({ signal }) => {
      const query = { customerId, limit: 20 };
      const [opportunities, quotes, orders] = await Promise.all([
        api.get('/api/v1/sales/opportunities', { query, signal }),
        api.get('/api/v1/sales/quotes', { query, signal }),
        api.get('/api/v1/sales/orders', { query, signal }),
      ]);
      return { opportunities, quotes, orders };
    },
  });
}

/** Owner names for the board and forecast; people who may not list users see "Owner" instead of a name. */
export function useUserNames() {
  const q = useQuery({
    queryKey: ['users', 'names'],
    staleTime: 5 * 60_000,
    retry: false,
    queryFn: ({ signal }) => api.get('/api/v1/users', { query: { limit: 500 }, signal }).then((r) => new Map(r.items.map((u) => [u.id, u.displayName]))),
  });
  return (id: string | null) => (id === null ? 'Unassigned' : (q.data?.get(id) ?? 'Owner'));
}
