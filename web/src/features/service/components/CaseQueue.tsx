import { Badge, Button, Group, Paper, Select, MultiSelect, SimpleGrid, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import { formatDateTime, humanise } from '../../../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import type { DivisionDirectory } from '../../org/divisions';
import { listTimers } from '../sla';
import { useNow } from '../useNow';
import { CASE_KINDS, PRIORITIES, STATUSES, useCases, useQueues, useTeams, type CaseFilters, type Priority, type CaseKind, type CaseStatus } from '../queries';
import { SlaTimer } from './SlaTimer';
import { CustomerLink } from './CustomerName';
import { STATUS_COLOUR } from './CaseDrawer';

/** Queue pressure per team or division: what waits unowned and how many are warning or breached. */
function QueueSummary({ directory, teamName, onPick }: { directory: DivisionDirectory; teamName: (id: string) => string; onPick: (f: Partial<CaseFilters>) => void }) {
  const queues = useQueues();
  if (queues.isPending) return <LoadingState label="Loading queues…" minHeight={60} />;
  if (queues.isError) return <ErrorState error={queues.error} title="Queues could not be loaded" onRetry={() => queues.refetch()} />;
  if (queues.data.length === 0) return <Text size="sm" c="dimmed">No case is waiting in a queue.</Text>;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" aria-label="Queues">
      {queues.data.map((q) => {
        const name = q.queueTeamId ? teamName(q.queueTeamId) : q.queueDivisionId ? `${directory.name(q.queueDivisionId)} (division queue)` : 'Queue';
        return (
          <Paper key={`${q.queueTeamId}-${q.queueDivisionId}`} withBorder p="xs">
            <UnstyledButton
              w="100%"
              aria-label={`Show the ${name} queue`}
              onClick={() => onPick(q.queueTeamId ? { teamId: q.queueTeamId, divisionId: null } : { divisionId: q.queueDivisionId, teamId: null })}
            >
              <Text size="sm" fw={600}>
                {name}
              </Text>
              <Group gap={6} mt={4}>
                <Badge variant="light">{q.waiting} waiting</Badge>
                {q.warning > 0 && <Badge color="orange" variant="light">{q.warning} warning</Badge>}
                {q.breached > 0 && <Badge color="red">{q.breached} breached</Badge>}
              </Group>
              <Text size="xs" c="dimmed" mt={4}>
                next due {formatDateTime(q.nextDueAt)}
              </Text>
            </UnstyledButton>
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}

export function CaseQueue({ filters, onChange, directory, onOpen }: { filters: CaseFilters; onChange: (f: Partial<CaseFilters>) => void; directory: DivisionDirectory; onOpen: (id: string) => void }) {
  const teams = useTeams();
  const cases = useCases(filters);
  const now = useNow();
  const teamName = (id: string) => teams.data?.find((t) => t.id === id)?.name ?? 'Team';
  const loaded = cases.data?.pages.flatMap((p) => p.items) ?? [];
  const rows = filters.priority ? loaded.filter((c) => c.priority === filters.priority) : loaded;
  const filtered = !!(filters.divisionId || filters.teamId || filters.status.length || filters.priority || filters.kind);

  return (
    <Stack gap="md">
      <QueueSummary directory={directory} teamName={teamName} onPick={onChange} />
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select label="Division" placeholder="All divisions" clearable data={directory.list.map((d) => ({ value: d.id, label: d.name }))} value={filters.divisionId} onChange={(v) => onChange({ divisionId: v })} w={190} />
        <Select
          label="Team"
          placeholder="All teams"
          clearable
          data={(teams.data ?? []).filter((t) => !filters.divisionId || t.divisionId === filters.divisionId).map((t) => ({ value: t.id, label: t.name }))}
          value={filters.teamId}
          onChange={(v) => onChange({ teamId: v })}
          w={190}
        />
        <MultiSelect label="Status" placeholder={filters.status.length ? undefined : 'Open work'} data={STATUSES.map((s) => ({ value: s, label: humanise(s) }))} value={filters.status} onChange={(v) => onChange({ status: v as CaseStatus[] })} w={260} />
        <Select label="Priority" placeholder="Any priority" clearable data={PRIORITIES.map((p) => ({ value: p, label: humanise(p) }))} value={filters.priority} onChange={(v) => onChange({ priority: v as Priority | null })} w={150} />
        <Select label="Kind" placeholder="Any kind" clearable data={CASE_KINDS.map((k) => ({ value: k, label: humanise(k) }))} value={filters.kind} onChange={(v) => onChange({ kind: v as CaseKind | null })} w={150} />
        {filtered && (
          <Button variant="subtle" onClick={() => onChange({ divisionId: null, teamId: null, status: [], priority: null, kind: null })}>
            Clear filters
          </Button>
        )}
      </Group>
      {cases.isPending ? (
        <LoadingState label="Loading cases…" />
      ) : cases.isError ? (
        <ErrorState error={cases.error} title="Cases could not be loaded" onRetry={() => cases.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={filtered ? 'No case matches these filters' : 'No open cases'} icon={<IconInbox size={24} />}>
          {filtered ? 'Clear a filter to see more.' : 'Open a case from a customer’s page, or with “Open a case” above.'}
        </EmptyState>
      ) : (
        <>
          <Text size="sm" c="dimmed" role="status">
            {rows.length} case{rows.length === 1 ? '' : 's'} {filters.priority ? `of ${loaded.length} loaded` : 'loaded'}
            {cases.hasNextPage ? '; more below' : ''}
          </Text>
          <Table.ScrollContainer minWidth={1100}>
            <Table striped highlightOnHover aria-label="Cases" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Subject</Table.Th>
                  <Table.Th>Customer</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Priority</Table.Th>
                  <Table.Th>Division · queue</Table.Th>
                  <Table.Th>First response</Table.Th>
                  <Table.Th>Resolution</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((c) => {
                  const timers = listTimers(c);
                  return (
                    <Table.Tr key={c.id} data-case-id={c.id}>
                      <Table.Td>
                        <UnstyledButton onClick={() => onOpen(c.id)} aria-label={`Open case: ${c.subject}`}>
                          <Text size="sm" fw={600} c="blue">
                            {c.subject}
                          </Text>
                        </UnstyledButton>
                        <Text size="xs" c="dimmed">
                          {c.kind} · opened {formatDateTime(c.openedAt)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <CustomerLink id={c.customerId} />
                      </Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLOUR[c.status]} variant="light" styles={{ root: { maxWidth: 'none', overflow: 'visible' }, label: { overflow: 'visible' } }}>
                          {humanise(c.status)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{c.priority}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{directory.name(c.divisionId)}</Text>
                        <Text size="xs" c="dimmed">
                          {c.ownerUserId ? 'assigned' : c.queueTeamId ? `queue: ${teamName(c.queueTeamId)}` : 'division queue'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <SlaTimer compact label="First response" timer={timers.firstResponse} now={now} />
                      </Table.Td>
                      <Table.Td>
                        <SlaTimer compact label="Resolution" timer={timers.resolution} now={now} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {cases.hasNextPage && (
            <Group justify="center">
              <Button variant="light" loading={cases.isFetchingNextPage} onClick={() => cases.fetchNextPage()}>
                Load more cases
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
