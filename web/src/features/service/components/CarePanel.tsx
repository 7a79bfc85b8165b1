import { Badge, Button, Group, Paper, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconHeartbeat } from '@tabler/icons-react';
import { api } from '../../../api/client';
import { formatDateTime, humanise } from '../../../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import { useCustomerCare, useUpdateRecoveryAction, type CareEpisode, type RecoveryAction } from '../queries';
import { CustomerLink } from './CustomerName';

const ACTION_COLOUR: Record<RecoveryAction['status'], string> = { pending: 'orange', done: 'green', skipped: 'gray' };

/** A customer's intensive-care episodes (one per complaint) with their recovery actions; `caseId` narrows to one. */
export function CareEpisodes({ customerId, caseId, openOnly, onOpenCase }: { customerId: string; caseId?: string; openOnly?: boolean; onOpenCase?: (id: string) => void }) {
  const care = useCustomerCare(customerId);
  if (care.isPending) return <Skeleton h={80} />;
  if (care.isError) return <ErrorState error={care.error} title="Intensive care could not be loaded" onRetry={() => care.refetch()} />;
  const episodes = care.data.filter((e) => (!caseId || e.caseId === caseId) && (!openOnly || !e.outcome));
  if (episodes.length === 0) return <Text size="sm" c="dimmed">No intensive-care episode{caseId ? ' for this complaint' : ''}.</Text>;
  return (
    <Stack gap="sm">
      {episodes.map((e) => (
        <Episode key={e.id} episode={e} onOpenCase={onOpenCase} />
      ))}
    </Stack>
  );
}

function Episode({ episode, onOpenCase }: { episode: CareEpisode; onOpenCase?: (id: string) => void }) {
  const update = useUpdateRecoveryAction();
  const done = episode.actions.filter((a) => a.status !== 'pending').length;
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Badge color={episode.outcome === 'lost' ? 'red' : episode.outcome === 'recovered' ? 'green' : 'orange'} variant="light">
          {episode.outcome ?? 'in care'}
        </Badge>
        <Text size="xs" c="dimmed">
          since {formatDateTime(episode.openedAt)} · {done} of {episode.actions.length} recovery actions done or skipped
        </Text>
        {onOpenCase && (
          <Button size="compact-xs" variant="subtle" onClick={() => onOpenCase(episode.caseId)}>
            Open the complaint
          </Button>
        )}
      </Group>
      <Table fz="sm" aria-label="Recovery actions" withRowBorders={false}>
        <Table.Tbody>
          {episode.actions.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td w={160}>{humanise(a.kind)}</Table.Td>
              <Table.Td w={110}>
                <Badge size="sm" variant="light" color={ACTION_COLOUR[a.status]}>
                  {a.status}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  {a.status === 'pending' ? (a.dueAt ? `due ${formatDateTime(a.dueAt)}` : 'due when the complaint is resolved') : `${a.status} ${formatDateTime(a.doneAt)}`}
                  {a.amount !== null ? ` · ${a.amount.toLocaleString()}` : ''}
                  {a.note ? ` · ${a.note}` : ''}
                </Text>
              </Table.Td>
              <Table.Td w={150}>
                {!episode.outcome && a.status === 'pending' && (
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" variant="light" aria-label={`Mark ${humanise(a.kind).toLowerCase()} done`} loading={update.isPending && update.variables?.id === a.id} onClick={() => update.mutate({ id: a.id, status: 'done' })}>
                      Done
                    </Button>
                    <Button size="compact-xs" variant="subtle" color="gray" aria-label={`Skip ${humanise(a.kind).toLowerCase()}`} onClick={() => update.mutate({ id: a.id, status: 'skipped' })}>
                      Skip
                    </Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {update.isError && <ErrorState error={update.error} title="The recovery action did not change" />}
    </Stack>
  );
}

/**
 * Customers in intensive care: the API has recovery per customer, so the list starts from the newest complaints
 * (up to 50) and shows each distinct customer's open episodes.
 */
export function IntensiveCareList({ onOpenCase }: { onOpenCase: (id: string) => void }) {
  const complaints = useQuery({
    queryKey: ['service', 'complaints'],
    queryFn: ({ signal }) => api.get('/api/v1/cases', { query: { kind: 'complaint', limit: 50 }, signal }).then((r) => r.items),
  });
  if (complaints.isPending) return <LoadingState label="Loading complaints…" />;
  if (complaints.isError) return <ErrorState error={complaints.error} title="Complaints could not be loaded" onRetry={() => complaints.refetch()} />;
  const customers = [...new Set(complaints.data.filter((c) => c.status !== 'closed').map((c) => c.customerId))];
  if (customers.length === 0)
    return (
      <EmptyState title="Nobody is in intensive care" icon={<IconHeartbeat size={24} />}>
        A complaint starts a recovery here: apology, fix, compensation and a follow-up call, each with its due time.
      </EmptyState>
    );
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed" role="status">
        Recovery for the customers of the {complaints.data.length} newest complaints
      </Text>
      {customers.map((id) => (
        <Paper withBorder p="sm" key={id} component="section" aria-label="Customer in intensive care">
          <Group mb={4}>
            <CustomerLink id={id} />
          </Group>
          <CareEpisodes customerId={id} openOnly onOpenCase={onOpenCase} />
        </Paper>
      ))}
    </Stack>
  );
}
