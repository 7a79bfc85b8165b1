import { Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconClockPause, IconClockExclamation, IconClock, IconCircleCheck } from '@tabler/icons-react';
import { describeTimer, liveTimer, TIMER_COLOUR, type ServerTimer } from '../sla';
import { formatDateTime } from '../../../ui/format';

const ICON = { running: IconClock, warning: IconClockExclamation, breached: IconClockExclamation, paused: IconClockPause, met: IconCircleCheck, missed: IconClockExclamation };

/**
 * One SLA timer counting down in the browser from the server's due time. `label` names it for screen readers
 * ("First response"); the due instant is a <time> element carrying the server's value.
 */
export function SlaTimer({ label, timer, now, compact }: { label: string; timer: ServerTimer; now: number; compact?: boolean }) {
  const live = liveTimer(timer, now);
  const Icon = ICON[live.state];
  const text = describeTimer(timer, now);
  const badge = (
    <Badge
      color={TIMER_COLOUR[live.state]}
      variant={live.state === 'breached' || live.state === 'missed' ? 'filled' : 'light'}
      leftSection={<Icon size={12} aria-hidden />}
      tt="none"
      styles={{ root: { maxWidth: 'none', overflow: 'visible' }, label: { overflow: 'visible' } }}
      data-sla-state={live.state}
      data-testid={`sla-${label.toLowerCase().replace(/\s+/g, '-')}`}
      aria-label={`${label}: ${live.state}, ${text}`}
    >
      {text}
    </Badge>
  );
  if (compact) {
    return (
      <Tooltip label={`${label} due ${formatDateTime(timer.dueAt)}`} disabled={!timer.dueAt}>
        {badge}
      </Tooltip>
    );
  }
  return (
    <Stack gap={2}>
      <Group gap="xs">
        <Text size="sm" fw={600}>
          {label}
        </Text>
        {badge}
      </Group>
      <Text size="xs" c="dimmed">
        Due{' '}
        {timer.dueAt ? (
          <time dateTime={timer.dueAt} data-testid={`due-${label.toLowerCase().replace(/\s+/g, '-')}`}>
            {formatDateTime(timer.dueAt)}
          </time>
        ) : (
          'when the clock runs again'
        )}
        {timer.warnAt && live.state === 'running' ? ` · warning from ${formatDateTime(timer.warnAt)}` : ''}
      </Text>
    </Stack>
  );
}
