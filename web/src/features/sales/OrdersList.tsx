import { Anchor, Badge, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { formatDate, formatMoney } from '../../ui/format';

const STATUSES = ['confirmed', 'in_production', 'shipped', 'delivered', 'cancelled'] as const;
type Status = (typeof STATUSES)[number];

/** Orders newest first, 50 at a time, with a status filter; late estimates stand out. */
export function OrdersList() {
  const [params, setParams] = useSearchParams();
  const status = (STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as Status) : undefined;
  const orders = useInfiniteQuery({
    queryKey: ['sales', 'orders', status ?? 'all'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => api.get('/api/v1/sales/orders', { query: { status, cursor: pageParam, limit: 50 }, signal }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = orders.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="md">
      <Group>
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          value={status ?? null}
          onChange={(v) => setParams(v ? { status: v } : {})}
          data={STATUSES.map((s) => ({ value: s, label: s.replace('_', ' ') }))}
          w={200}
        />
        <Button component={Link} to="/sales/quote" mt="lg" variant="light">
          New quote
        </Button>
      </Group>
      {orders.isPending ? (
        <LoadingState label="Loading orders…" />
      ) : orders.isError ? (
        <ErrorState error={orders.error} onRetry={() => void orders.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="No orders">{status ? 'None with this status.' : 'Accepting a quote creates an order.'}</EmptyState>
      ) : (
        <>
          <Table aria-label="Orders" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Order</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Promised</Table.Th>
                <Table.Th>Estimate</Table.Th>
                <Table.Th ta="right">Total</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/sales/orders/${o.id}`}>
                      {o.number}
                    </Anchor>
                    {o.prospect && <Text span size="xs" c="dimmed"> {o.prospect.company ?? o.prospect.name}</Text>}
                  </Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light">
                      {o.status.replace('_', ' ')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{formatDate(o.promisedDate)}</Table.Td>
                  <Table.Td c={o.estimatedDate > o.promisedDate ? 'red' : undefined}>{formatDate(o.estimatedDate)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(o.netTotal, o.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {orders.hasNextPage && (
            <Button variant="default" onClick={() => void orders.fetchNextPage()} loading={orders.isFetchingNextPage} style={{ alignSelf: 'center' }}>
              Show more orders
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}
