import { Alert, Anchor, Badge, Breadcrumbs, Group, Paper, SimpleGrid, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { formatDate, formatDateTime, formatMoney } from '../../ui/format';
import { useOrder, useOrderTimeline } from './queries';
import { describeEvent } from './timeline';

const ROUTE_COLOUR = { requested: 'gray', accepted: 'blue', in_production: 'cyan', shipped: 'teal', delivered: 'green', rejected: 'red', cancelled: 'gray' } as const;

/** One order as the customer sees it (one delivery date) and as we run it (a work package per fulfiller). */
export function OrderDetail() {
  const { id } = useParams();
  const order = useOrder(id);
  const timeline = useOrderTimeline(id);
  if (order.isPending) return <LoadingState label="Loading the order…" />;
  if (order.isError)
    return order.error instanceof ApiError && order.error.status === 404 ? (
      <EmptyState title="No such order">It does not exist, or it belongs to a division you do not see.</EmptyState>
    ) : (
      <ErrorState error={order.error} onRetry={() => void order.refetch()} />
    );
  const o = order.data;
  const late = o.estimatedDate > o.promisedDate;
  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/sales/orders">
          Orders
        </Anchor>
        <Text size="sm">{o.number}</Text>
      </Breadcrumbs>
      <div>
        <Title order={2} size="h3">
          Order {o.number}
        </Title>
        <Group gap="xs" mt={4}>
          <Badge>{o.status.replace('_', ' ')}</Badge>
          {o.custom && (
            <Badge variant="light" color="grape">
              custom
            </Badge>
          )}
          <Text size="sm" c="dimmed">
            from quote{' '}
            <Anchor component={Link} to={`/sales/quotes/${o.quoteId}`}>
              {o.quoteNumber} v{o.quoteVersion}
            </Anchor>
            {o.customerReference && ` · customer reference ${o.customerReference}`}
          </Text>
          {o.customerId && (
            <Anchor size="sm" component={Link} to={`/customers/${o.customerId}`}>
              Customer
            </Anchor>
          )}
        </Group>
      </div>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Paper withBorder p="md">
          <Text size="xs" c="dimmed">
            Promised delivery (one date for everything)
          </Text>
          <Text size="xl" fw={700} data-testid="order-promised-date">
            {formatDate(o.promisedDate)}
          </Text>
        </Paper>
        <Paper withBorder p="md">
          <Text size="xs" c="dimmed">
            Current estimate
          </Text>
          <Text size="xl" fw={700} c={late ? 'red' : undefined} data-testid="order-estimated-date">
            {formatDate(o.estimatedDate)}
          </Text>
          <Text size="xs" c="dimmed">
            {o.deliveredAt ? `Delivered ${formatDateTime(o.deliveredAt)}` : late ? 'Later than promised' : 'On time'}
          </Text>
        </Paper>
        <Paper withBorder p="md">
          <Text size="xs" c="dimmed">
            Total
          </Text>
          <Text size="xl" fw={700}>
            {formatMoney(o.netTotal, o.currency)}
          </Text>
        </Paper>
      </SimpleGrid>
      {o.mishandlings.length > 0 && (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title={`Mishandled (${o.mishandlings.length})`}>
          {o.mishandlings.map((m) => (
            <Text size="sm" key={m.id}>
              {m.kind}
              {m.fulfiller ? ` (${m.fulfiller})` : ''}: {m.cause}
            </Text>
          ))}
        </Alert>
      )}
      <Paper withBorder p="md">
        <Title order={3} size="h5" mb="xs">
          Routed to
        </Title>
        <Table aria-label="Work packages" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Fulfiller</Table.Th>
              <Table.Th>Components</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Promised</Table.Th>
              <Table.Th>Estimate</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {o.routes.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  {r.fulfillerName}{' '}
                  <Badge size="xs" variant="light" color={r.fulfillerKind === 'own' ? 'blue' : 'teal'}>
                    {r.fulfillerKind === 'own' ? 'in-house' : 'subcontractor'}
                  </Badge>
                </Table.Td>
                <Table.Td>{r.items.map((i) => `${i.quantity} ${i.component} (line ${i.lineNo})`).join(', ')}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={ROUTE_COLOUR[r.status]}>
                    {r.status.replace('_', ' ')}
                  </Badge>
                </Table.Td>
                <Table.Td>{formatDate(r.promisedDate)}</Table.Td>
                <Table.Td c={r.estimatedDate > r.promisedDate ? 'red' : undefined}>{formatDate(r.estimatedDate)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md">
          <Title order={3} size="h5" mb="xs">
            Lines
          </Title>
          <Table aria-label="Order lines" fz="sm">
            <Table.Tbody>
              {o.lines.map((l) => (
                <Table.Tr key={l.lineNo}>
                  <Table.Td>
                    {l.lineNo}. {l.quantity} × {l.description}
                  </Table.Td>
                  <Table.Td ta="right">{formatMoney(l.netAmount, o.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
        <Paper withBorder p="md" component="section" aria-label="Order timeline">
          <Title order={3} size="h5" mb="xs">
            Timeline
          </Title>
          {timeline.isPending ? (
            <LoadingState minHeight={80} />
          ) : timeline.isError ? (
            <ErrorState error={timeline.error} onRetry={() => void timeline.refetch()} />
          ) : (
            <Timeline bulletSize={14} lineWidth={2} active={timeline.data.events.length}>
              {timeline.data.events.map((e) => {
                const d = describeEvent(e, o.currency);
                return (
                  <Timeline.Item key={e.id} title={d.title} color={d.colour}>
                    {d.detail && <Text size="xs">{d.detail}</Text>}
                    <Text size="xs" c="dimmed">
                      {formatDateTime(e.at)}
                    </Text>
                  </Timeline.Item>
                );
              })}
            </Timeline>
          )}
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}
