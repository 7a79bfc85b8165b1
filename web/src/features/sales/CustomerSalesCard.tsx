import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { ErrorState, LoadingState } from '../../ui/states';
import { formatDate, formatMoney } from '../../ui/format';
import { useCustomerSales } from './queries';

const MORE = (n: number, more: boolean) => (more ? `${n}+` : String(n));

/**
 * The customer page's sales card: open and closed opportunities, quotes and orders (the 360 response does not
 * carry them; this asks the sales API, which applies the same division filter). Hidden for people without sales access.
 */
export function CustomerSalesCard({ customerId }: { customerId: string }) {
  const sales = useCustomerSales(customerId);
  if (sales.isError && sales.error instanceof ApiError && sales.error.status === 403) return null;
  return (
    <Paper withBorder p="md" component="section" aria-label="Sales">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Sales
        </Title>
        <Button component={Link} to={`/sales/quote?customer=${customerId}`} size="xs" variant="light">
          New quote
        </Button>
      </Group>
      {sales.isPending ? (
        <LoadingState minHeight={80} />
      ) : sales.isError ? (
        <ErrorState error={sales.error} onRetry={() => void sales.refetch()} />
      ) : (
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <Stack gap={6}>
            <Text fw={600} size="sm">
              Opportunities ({MORE(sales.data.opportunities.items.length, !!sales.data.opportunities.nextCursor)})
            </Text>
            {sales.data.opportunities.items.length === 0 && (
              <Text size="sm" c="dimmed">
                None.
              </Text>
            )}
            {sales.data.opportunities.items.map((o) => (
              <Group key={o.id} gap={6} wrap="nowrap" justify="space-between">
                <Anchor size="sm" component={Link} to={`/sales/pipeline?pipeline=${o.pipelineId}&opportunity=${o.id}`}>
                  {o.name}
                </Anchor>
                <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
                  <Text size="xs">{formatMoney(o.amount, o.currency)}</Text>
                  <Badge size="xs" variant="light" color={o.outcome === 'won' ? 'green' : o.outcome === 'lost' ? 'gray' : 'blue'}>
                    {o.outcome === 'open' ? o.stageCode : o.outcome}
                  </Badge>
                </Group>
              </Group>
            ))}
          </Stack>
          <Stack gap={6}>
            <Text fw={600} size="sm">
              Quotes ({MORE(sales.data.quotes.items.length, !!sales.data.quotes.nextCursor)})
            </Text>
            {sales.data.quotes.items.length === 0 && (
              <Text size="sm" c="dimmed">
                None.
              </Text>
            )}
            {sales.data.quotes.items.map((q) => (
              <Group key={q.id} gap={6} wrap="nowrap" justify="space-between">
                <Anchor size="sm" component={Link} to={`/sales/quotes/${q.id}`}>
                  {q.number}
                  {q.title ? ` · ${q.title}` : ''}
                </Anchor>
                <Badge size="xs" variant="light" style={{ flexShrink: 0 }}>
                  {q.status}
                </Badge>
              </Group>
            ))}
          </Stack>
          <Stack gap={6}>
            <Text fw={600} size="sm">
              Orders ({MORE(sales.data.orders.items.length, !!sales.data.orders.nextCursor)})
            </Text>
            {sales.data.orders.items.length === 0 && (
              <Text size="sm" c="dimmed">
                None.
              </Text>
            )}
            {sales.data.orders.items.map((o) => (
              <Group key={o.id} gap={6} wrap="nowrap" justify="space-between">
                <Anchor size="sm" component={Link} to={`/sales/orders/${o.id}`}>
                  {o.number}
                </Anchor>
                <Text size="xs" c={o.estimatedDate > o.promisedDate ? 'red' : 'dimmed'}>
                  {o.status.replace('_', ' ')} · {o.deliveredAt ? `delivered ${formatDate(o.deliveredAt)}` : `due ${formatDate(o.estimatedDate)}`}
                </Text>
              </Group>
            ))}
          </Stack>
        </SimpleGrid>
      )}
    </Paper>
  );
}
