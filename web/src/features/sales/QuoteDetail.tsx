import { Alert, Anchor, Badge, Breadcrumbs, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { formatDate, formatDateTime, formatMoney } from '../../ui/format';
import { PriceResult } from './PriceResult';
import { useQuote } from './queries';

const VERSION_COLOUR = { pending_approval: 'yellow', issued: 'blue', rejected: 'red', superseded: 'gray', accepted: 'green' } as const;

/** A saved quote: its versions, the current one as priced, its PDF, and accepting it into an order. */
export function QuoteDetail() {
  const { id } = useParams();
  const quote = useQuote(id);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [reference, setReference] = useState('');
  const accept = useMutation({
    mutationFn: (version: number) => api.post('/api/v1/sales/quotes/{id}/accept', { path: { id: id! }, body: { version, customerReference: reference.trim() || undefined } }),
    onSuccess: (order) => {
      void qc.invalidateQueries({ queryKey: ['sales'] });
      navigate(`/sales/orders/${order.id}`);
    },
  });
  if (quote.isPending) return <LoadingState label="Loading the quote…" />;
  if (quote.isError)
    return quote.error instanceof ApiError && quote.error.status === 404 ? (
      <EmptyState title="No such quote">It does not exist, or it belongs to a division you do not see.</EmptyState>
    ) : (
      <ErrorState error={quote.error} onRetry={() => void quote.refetch()} />
    );
  const q = quote.data;
  const current = q.current;
  const canAccept = q.status === 'open' && current.status === 'issued';
  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/sales/quote">
          Quotes
        </Anchor>
        <Text size="sm">{q.number}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2} size="h3">
            Quote {q.number}
            {q.title ? `: ${q.title}` : ''}
          </Title>
          <Group gap="xs" mt={4}>
            <Badge>{q.status}</Badge>
            <Badge variant="light" color={VERSION_COLOUR[current.status]}>
              version {current.version}: {current.status.replace('_', ' ')}
            </Badge>
            <Text size="sm" c="dimmed">
              valid until {formatDate(current.validUntil)}
            </Text>
            {q.customerId && (
              <Anchor size="sm" component={Link} to={`/customers/${q.customerId}`}>
                Customer
              </Anchor>
            )}
          </Group>
        </div>
        <Button component="a" href={`/api/v1/sales/quotes/${q.id}/pdf?version=${current.version}`} download={`${q.number}-v${current.version}.pdf`} variant="default" leftSection={<IconDownload size={16} />}>
          Download PDF
        </Button>
      </Group>
      {current.status === 'pending_approval' && (
        <Alert color="yellow" title="Waiting for approval">
          The discount is above the price list's threshold; someone whose approval limit covers it must approve version {current.version} before the customer can accept it.
        </Alert>
      )}
      {canAccept && (
        <Group align="flex-end">
          <TextInput label="Customer's order reference" value={reference} onChange={(e) => setReference(e.currentTarget.value)} placeholder="Optional, e.g. PO-1234" w={260} />
          <Button color="green" onClick={() => accept.mutate(current.version)} loading={accept.isPending}>
            Accept and create the order
          </Button>
        </Group>
      )}
      {accept.isError && <ErrorState error={accept.error} title="The quote was not accepted" />}
      <PriceResult priced={current.document} />
      <Title order={3} size="h5">
        Versions
      </Title>
      <Table aria-label="Quote versions" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Version</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Written</Table.Th>
            <Table.Th>Valid until</Table.Th>
            <Table.Th>Delivery</Table.Th>
            <Table.Th ta="right">Total</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.versions.map((v) => (
            <Table.Tr key={v.version}>
              <Table.Td>
                <Anchor href={`/api/v1/sales/quotes/${q.id}/pdf?version=${v.version}`} download={`${q.number}-v${v.version}.pdf`}>
                  v{v.version} (PDF)
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Badge size="sm" variant="light" color={VERSION_COLOUR[v.status]}>
                  {v.status.replace('_', ' ')}
                </Badge>
              </Table.Td>
              <Table.Td>{formatDateTime(v.createdAt)}</Table.Td>
              <Table.Td>{formatDate(v.validUntil)}</Table.Td>
              <Table.Td>{formatDate(v.deliveryDate)}</Table.Td>
              <Table.Td ta="right">{formatMoney(v.netTotal, v.currency)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
