import { useState } from 'react';
import { Badge, Button, Chip, Group, Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import { IconArrowDownLeft, IconArrowUpRight, IconMessages } from '@tabler/icons-react';
import type { Customer360, Interaction, TouchPoint } from '../../../api/types';
import type { DivisionDirectory } from '../../org/divisions';
import { DivisionBadge } from '../../org/DivisionBadge';
import { formatDateTime, humanise } from '../../../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import { useTimeline } from '../queries';
import { TOUCH_POINT_CODES, TOUCH_POINTS } from '../touchPoints';

function sentimentBadge(s: number | null) {
  if (s === null) return null;
  if (s <= -0.3) return { label: 'unhappy', colour: 'red' };
  if (s >= 0.3) return { label: 'happy', colour: 'green' };
  return { label: 'neutral', colour: 'gray' };
}

/** Every contact with the customer across touch points and divisions, newest first. */
interface Props {
  customerId: string;
  divisionIds: string[];
  directory: DivisionDirectory;
  firstPage?: Customer360['timeline'];
}

export function InteractionTimeline({ customerId, divisionIds, directory, firstPage }: Props) {
  const [touchPoints, setTouchPoints] = useState<TouchPoint[]>([]);
  const [divisions, setDivisions] = useState<string[]>([]);
  const query = useTimeline(customerId, touchPoints, divisions, firstPage);
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = touchPoints.length > 0 || divisions.length > 0;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="timeline-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="timeline-title">
          Interaction timeline
        </Title>
        <Stack gap={6}>
          <Group gap={6} role="group" aria-label="Filter by touch point">
            <Text size="xs" c="dimmed" w={90}>
              Touch points
            </Text>
            <Chip.Group multiple value={touchPoints} onChange={(v) => setTouchPoints(v as TouchPoint[])}>
              {TOUCH_POINT_CODES.map((tp) => (
                <Chip key={tp} value={tp} size="xs" variant="outline">
                  {TOUCH_POINTS[tp].label}
                </Chip>
              ))}
            </Chip.Group>
          </Group>
          {divisionIds.length > 1 && (
            <Group gap={6} role="group" aria-label="Filter by division">
              <Text size="xs" c="dimmed" w={90}>
                Divisions
              </Text>
              <Chip.Group multiple value={divisions} onChange={setDivisions}>
                {divisionIds.map((d) => (
                  <Chip key={d} value={d} size="xs" variant="outline" color={directory.colour(d)}>
                    {directory.name(d)}
                  </Chip>
                ))}
              </Chip.Group>
            </Group>
          )}
          {filtered && (
            <Group>
              <Button
                variant="subtle"
                size="compact-xs"
                onClick={() => {
                  setTouchPoints([]);
                  setDivisions([]);
                }}
              >
                Show every contact
              </Button>
            </Group>
          )}
        </Stack>

        {query.isPending ? (
          <LoadingState label="Loading the timeline…" minHeight={80} />
        ) : query.isError && !items.length ? (
          <ErrorState error={query.error} title="The timeline could not be loaded" onRetry={() => query.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title={filtered ? 'No contact matches these filters' : 'No contact recorded yet'} icon={<IconMessages size={24} />}>
            {filtered ? 'Try other touch points or divisions.' : 'Calls, visits, emails and other contacts appear here as divisions record them.'}
          </EmptyState>
        ) : (
          <Timeline bulletSize={26} lineWidth={2} role="list" aria-label="Contacts, newest first" aria-busy={query.isPlaceholderData} opacity={query.isPlaceholderData ? 0.6 : 1}>
            {items.map((i) => (
              <Timeline.Item key={i.id} role="listitem" bullet={<TouchPointIcon touchPoint={i.touchPoint} />} title={<ItemTitle interaction={i} />}>
                <Group gap={6} mt={2}>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(i.occurredAt)} · {TOUCH_POINTS[i.touchPoint].label} · {i.direction === 'inbound' ? 'from customer' : 'to customer'}
                  </Text>
                  <DivisionBadge id={i.divisionId} directory={directory} size="xs" />
                </Group>
                {i.outcome && (
                  <Text size="sm" mt={4}>
                    {/^[a-z]+(_[a-z]+)+$/.test(i.outcome) ? humanise(i.outcome) : i.outcome}
                  </Text>
                )}
              </Timeline.Item>
            ))}
          </Timeline>
        )}
        {query.isFetchNextPageError && <ErrorState error={query.error} title="Older contacts could not be loaded" />}
        {query.hasNextPage && (
          <Group justify="center">
            <Button variant="light" size="xs" loading={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
              Load older contacts
            </Button>
          </Group>
        )}
        {!query.hasNextPage && items.length > 0 && (
          <Text size="xs" c="dimmed" ta="center">
            {items.length} contact{items.length === 1 ? '' : 's'}, all shown
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function TouchPointIcon({ touchPoint }: { touchPoint: TouchPoint }) {
  const Icon = TOUCH_POINTS[touchPoint].icon;
  return <Icon size={14} aria-hidden />;
}

function ItemTitle({ interaction }: { interaction: Interaction }) {
  const sentiment = sentimentBadge(interaction.sentiment);
  const Arrow = interaction.direction === 'inbound' ? IconArrowDownLeft : IconArrowUpRight;
  return (
    <Group gap={6} wrap="nowrap">
      <Arrow size={14} aria-hidden />
      <Text size="sm" fw={600}>
        {interaction.subject}
      </Text>
      {sentiment && (
        <Badge size="xs" variant="light" color={sentiment.colour}>
          {sentiment.label}
        </Badge>
      )}
    </Group>
  );
}
