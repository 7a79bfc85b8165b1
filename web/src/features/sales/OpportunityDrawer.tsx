import { Anchor, Badge, Button, Drawer, Group, Stack, Table, Text, Timeline } from '@mantine/core';
import { Link } from 'react-router-dom';
import { ErrorState, LoadingState } from '../../ui/states';
import { formatDate, formatDateTime, formatMoney } from '../../ui/format';
import { useOpportunity, useUserNames, type Pipeline } from './queries';

/** An opportunity's detail beside the board: its numbers, who it is for, and every stage it went through. */
export function OpportunityDrawer({ id, pipeline, onClose }: { id: string | null; pipeline: Pipeline | undefined; onClose: () => void }) {
  const opp = useOpportunity(id);
  const ownerName = useUserNames();
  const stageName = (code: string | null) => (code === null ? 'Opened' : (pipeline?.stages.find((s) => s.code === code)?.name ?? code));
  return (
    <Drawer opened={!!id} onClose={onClose} position="right" size="md" title={opp.data?.name ?? 'Opportunity'}>
      {opp.isPending ? (
        <LoadingState />
      ) : opp.isError ? (
        <ErrorState error={opp.error} onRetry={() => void opp.refetch()} />
      ) : (
        <Stack>
          <Group gap="xs">
            <Badge>{stageName(opp.data.stageCode)}</Badge>
            <Badge variant="light" color={opp.data.outcome === 'won' ? 'green' : opp.data.outcome === 'lost' ? 'gray' : 'blue'}>
              {opp.data.outcome}
            </Badge>
          </Group>
          <Table variant="vertical" aria-label="Opportunity">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th>Amount</Table.Th>
                <Table.Td>{formatMoney(opp.data.amount, opp.data.currency)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Weighted ({opp.data.probability}%)</Table.Th>
                <Table.Td>{formatMoney(opp.data.weightedAmount, opp.data.currency)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Expected close</Table.Th>
                <Table.Td>{formatDate(opp.data.expectedClose)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Owner</Table.Th>
                <Table.Td>{ownerName(opp.data.ownerUserId)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Customer</Table.Th>
                <Table.Td>
                  {opp.data.customerId ? (
                    <Anchor component={Link} to={`/customers/${opp.data.customerId}`}>
                      Open the customer
                    </Anchor>
                  ) : opp.data.prospect ? (
                    `${opp.data.prospect.name}${opp.data.prospect.company ? `, ${opp.data.prospect.company}` : ''} (prospect)`
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
              {opp.data.lostReason && (
                <Table.Tr>
                  <Table.Th>Lost because</Table.Th>
                  <Table.Td>{opp.data.lostReason}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
          {opp.data.customerId && opp.data.outcome === 'open' && (
            <Button component={Link} to={`/sales/quote?customer=${opp.data.customerId}&opportunity=${opp.data.id}`} variant="light">
              Write a quote
            </Button>
          )}
          <Text fw={600} size="sm">
            Stage history
          </Text>
          <Timeline bulletSize={14} lineWidth={2} active={opp.data.history.length}>
            {opp.data.history.map((h) => (
              <Timeline.Item key={h.id} title={`${stageName(h.fromStage)} → ${stageName(h.toStage)}`}>
                <Text size="xs" c="dimmed">
                  {formatDateTime(h.changedAt)} · {ownerName(h.changedBy)}
                </Text>
                {h.note && <Text size="xs">{h.note}</Text>}
              </Timeline.Item>
            ))}
          </Timeline>
        </Stack>
      )}
    </Drawer>
  );
}
