import { lazy, Suspense } from 'react';
import { Stack, Tabs, Text, Title } from '@mantine/core';
import { IconFileInvoice, IconLayoutKanban, IconTruckDelivery } from '@tabler/icons-react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { LoadingState } from '../ui/states';

const PipelinePanel = lazy(() => import('../features/sales/PipelinePanel').then((m) => ({ default: m.PipelinePanel })));
const QuoteBuilder = lazy(() => import('../features/sales/QuoteBuilder').then((m) => ({ default: m.QuoteBuilder })));
const QuoteDetail = lazy(() => import('../features/sales/QuoteDetail').then((m) => ({ default: m.QuoteDetail })));
const OrdersList = lazy(() => import('../features/sales/OrdersList').then((m) => ({ default: m.OrdersList })));
const OrderDetail = lazy(() => import('../features/sales/OrderDetail').then((m) => ({ default: m.OrderDetail })));

const TABS = [
  { value: 'pipeline', label: 'Pipeline', icon: IconLayoutKanban, match: ['/sales/pipeline'] },
  { value: 'quote', label: 'Quotes', icon: IconFileInvoice, match: ['/sales/quote'] },
  { value: 'orders', label: 'Orders', icon: IconTruckDelivery, match: ['/sales/orders'] },
] as const;

/** The Sales section: the pipeline, configure-price-quote, and where each order stands. Its sub-routes live here. */
export function SalesPage() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const active = TABS.find((t) => t.match.some((m) => pathname.startsWith(m)))?.value ?? 'pipeline';
  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">
          Sales
        </Title>
        <Text c="dimmed" size="sm">
          Move deals through the pipeline, configure and price a quote with the customer, and follow each order to one delivery date.
        </Text>
      </div>
      <Tabs value={active} onChange={(v) => v && navigate(`/sales/${v}`)} keepMounted={false}>
        <Tabs.List>
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} leftSection={<t.icon size={16} />}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Suspense fallback={<LoadingState />}>
        <Routes>
          <Route index element={<Navigate to="pipeline" replace />} />
          <Route path="pipeline" element={<PipelinePanel />} />
          <Route path="quote" element={<QuoteBuilder />} />
          <Route path="quotes/:id" element={<QuoteDetail />} />
          <Route path="orders" element={<OrdersList />} />
          <Route path="orders/:id" element={<OrderDetail />} />
          <Route path="*" element={<Navigate to="pipeline" replace />} />
        </Routes>
      </Suspense>
    </Stack>
  );
}
