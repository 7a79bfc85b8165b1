import { Anchor, Badge, Group, Paper, Skeleton, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { Link, useNavigate } from 'react-router-dom';
import { formatDate, formatDateTime, humanise } from '../../../ui/format';
import { ErrorState } from '../../../ui/states';
import type { DivisionDirectory } from '../../org/divisions';
import { listTimers } from '../sla';
import { useNow } from '../useNow';
import { useCustomerLifecycle, useCustomerService } from '../queries';
import { SlaTimer } from './SlaTimer';
import { NewCaseButton } from './NewCaseModal';
import { SEVERITY_COLOUR } from './AlarmsPanel';

const TIER_LABEL = { top1: 'Top 1 %', top5: 'Top 5 %', top20: 'Top 20 %', rest: 'Standard' } as const;

/** The service side of a customer on their 360 page: stage and why, open cases with their clocks, alarms. */
export function ServiceCard({ customerId, customerName, divisionIds, directory }: { customerId: string; customerName: string; divisionIds: string[]; directory: DivisionDirectory }) {
  const service = useCustomerService(customerId);
  const lifecycle = useCustomerLifecycle(customerId);
  const navigate = useNavigate();
  const now = useNow();
  // The newest move, whichever order the history comes in.
  const last = lifecycle.data?.history.reduce<(typeof lifecycle.data.history)[number] | undefined>((a, t) => (!a || t.at > a.at ? t : a), undefined);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="service-card-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="service-card-title">
          Service
        </Title>
        <NewCaseButton customerId={customerId} customerName={customerName} divisionIds={divisionIds} directory={directory} onOpened={(c) => navigate(`/service?case=${c.id}`)} />
      </Group>
      {service.isPending ? (
        <Skeleton h={120} />
      ) : service.isError ? (
        <ErrorState error={service.error} title="The service side could not be loaded" onRetry={() => service.refetch()} />
      ) : (
        <Stack gap="sm">
          <Group gap="sm">
            <Text size="sm">Lifecycle stage</Text>
            <Badge color={service.data.stage.stage === 'intensive_care' ? 'red' : 'blue'} data-testid="lifecycle-stage">
              {humanise(service.data.stage.stage)}
            </Badge>
            <Text size="xs" c="dimmed">
              since {formatDate(service.data.stage.since)}
              {service.data.stage.previousStage ? `, from ${humanise(service.data.stage.previousStage).toLowerCase()}` : ''}
            </Text>
            <Badge variant="outline" color="gray">
              {TIER_LABEL[service.data.tier]}
            </Badge>
          </Group>
          {lifecycle.isSuccess && (
            <Text size="xs" c="dimmed" data-testid="lifecycle-cause">
              Why: {last ? transitionCause(last) : 'classified from the products held; no move has been recorded yet'}
            </Text>
          )}
          {service.data.relationshipManager && (
            <Text size="sm">
              Relationship manager: <b>{service.data.relationshipManager.displayName}</b>{' '}
              <Text span size="xs" c="dimmed">
                ({service.data.relationshipManager.reason})
              </Text>
            </Text>
          )}
          {service.data.openCases.length === 0 ? (
            <Text size="sm" c="dimmed">
              No open cases.
            </Text>
          ) : (
            <Table aria-label="Open cases" verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Open case</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>First response</Table.Th>
                  <Table.Th>Resolution</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {service.data.openCases.map((c) => {
                  const t = listTimers(c);
                  return (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <UnstyledButton component={Link} to={`/service?case=${c.id}`}>
                          <Text size="sm" c="blue" fw={600}>
                            {c.subject}
                          </Text>
                        </UnstyledButton>
                        <Text size="xs" c="dimmed">
                          {c.kind} · {c.priority} · {directory.name(c.divisionId)}
                        </Text>
                      </Table.Td>
                      <Table.Td>{humanise(c.status)}</Table.Td>
                      <Table.Td>
                        <SlaTimer compact label="First response" timer={t.firstResponse} now={now} />
                      </Table.Td>
                      <Table.Td>
                        <SlaTimer compact label="Resolution" timer={t.resolution} now={now} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
          {service.data.intensiveCare.length > 0 && (
            <Text size="sm">
              In intensive care since {formatDateTime(service.data.intensiveCare[0].openedAt)}:{' '}
              {service.data.intensiveCare[0].actions.filter((a) => a.status === 'pending').map((a) => humanise(a.kind).toLowerCase()).join(', ') || 'every action done'}
              {service.data.intensiveCare[0].actions.some((a) => a.status === 'pending') ? ' pending' : ''}.{' '}
              <Anchor component={Link} to={`/service?case=${service.data.intensiveCare[0].caseId}`} size="sm">
                Open the complaint
              </Anchor>
            </Text>
          )}
          {service.data.alarms.length > 0 && (
            <Stack gap={4} aria-label="Alarms about this customer" role="list">
              {service.data.alarms.map((a) => (
                <Group key={a.id} gap="xs" role="listitem" wrap="nowrap" align="flex-start">
                  <Badge size="sm" color={SEVERITY_COLOUR[a.severity]} variant="light">
                    {humanise(a.kind)}
                  </Badge>
                  <Text size="sm">{a.reason}</Text>
                </Group>
              ))}
            </Stack>
          )}
        </Stack>
      )}
    </Paper>
  );
}

function transitionCause(t: { cause: string; ruleName: string | null; event: string | null; note: string | null; at: string }): string {
  const when = ` (${formatDate(t.at)})`;
  if (t.cause === 'initial') return `first classified from the products held${when}`;
  if (t.cause === 'manual') return `moved by a person${t.note ? `: “${t.note}”` : ''}${when}`;
  return `rule “${humanise(t.ruleName ?? 'rule')}”${t.event ? ` on ${humanise(t.event).toLowerCase()}` : ''}${t.note ? ` — ${t.note}` : ''}${when}`;
}
