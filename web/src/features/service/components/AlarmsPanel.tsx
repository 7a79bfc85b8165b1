import { useState } from 'react';
import { Anchor, Badge, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { IconBellOff } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { formatDateTime, humanise } from '../../../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import { useAlarms, type Alarm } from '../queries';
import { CustomerLink } from './CustomerName';

const KINDS: Alarm['kind'][] = ['neglected', 'complaint_overdue', 'p_alive_falling', 'spend_falling', 'offer_conflict'];
export const SEVERITY_COLOUR: Record<Alarm['severity'], string> = { info: 'blue', warning: 'orange', critical: 'red' };

/** Open neglect alarms: each says why in words and links to the customer. */
export function AlarmsPanel() {
  const [kind, setKind] = useState<Alarm['kind'] | null>(null);
  const alarms = useAlarms(kind);
  const rows = alarms.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="sm">
      <Select label="Alarm kind" placeholder="Every kind" clearable data={KINDS.map((k) => ({ value: k, label: humanise(k) }))} value={kind} onChange={(v) => setKind(v as Alarm['kind'] | null)} w={240} />
      {alarms.isPending ? (
        <LoadingState label="Loading alarms…" />
      ) : alarms.isError ? (
        <ErrorState error={alarms.error} title="Alarms could not be loaded" onRetry={() => alarms.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="No open alarms" icon={<IconBellOff size={24} />}>
          The nightly alarm job lists customers drifting away: valuable customers nobody spoke to, complaints past their SLA, falling P(alive) or spend.
        </EmptyState>
      ) : (
        <>
          <Text size="sm" c="dimmed" role="status">
            {rows.length} alarm{rows.length === 1 ? '' : 's'} loaded{alarms.hasNextPage ? '; more below' : ''}
          </Text>
          <Table aria-label="Alarms" verticalSpacing="xs" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Customer</Table.Th>
                <Table.Th>Alarm</Table.Th>
                <Table.Th>Why</Table.Th>
                <Table.Th>Raised</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((a) => (
                <AlarmRow key={a.id} alarm={a} />
              ))}
            </Table.Tbody>
          </Table>
          {alarms.hasNextPage && (
            <Group justify="center">
              <Button variant="light" loading={alarms.isFetchingNextPage} onClick={() => alarms.fetchNextPage()}>
                Load more alarms
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}

function AlarmRow({ alarm: a }: { alarm: Alarm }) {
  return (
    <Table.Tr>
      <Table.Td>
        <CustomerLink id={a.customerId} />
      </Table.Td>
      <Table.Td>
        <Badge color={SEVERITY_COLOUR[a.severity]} variant={a.severity === 'critical' ? 'filled' : 'light'} styles={{ root: { maxWidth: 'none', overflow: 'visible' }, label: { overflow: 'visible' } }}>
          {humanise(a.kind)}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{a.reason}</Text>
        {a.contactChannels && a.contactChannels.length > 0 && (
          <Text size="xs" c="dimmed">
            May be reached by {a.contactChannels.map(humanise).join(', ').toLowerCase()}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="xs">{formatDateTime(a.firstRaisedAt)}</Text>
        {a.caseId && (
          <Anchor component={Link} to={`/service?case=${a.caseId}`} size="xs">
            the case
          </Anchor>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
