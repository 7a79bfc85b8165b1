import { Group, Progress, Stack, Text } from '@mantine/core';
import type { Job } from '../queries';
import { jobPercent } from '../jobs';

const STATUS: Record<Job['status'], string> = {
  queued: 'Waiting to start',
  running: 'Running',
  succeeded: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** A job's progress bar: animated while it has no total yet, coloured by how it ended. */
export function JobProgress({ job, label }: { job: Job | undefined; label: string }) {
  const percent = jobPercent(job);
  const status = job?.status ?? 'queued';
  const colour = status === 'failed' || status === 'cancelled' ? 'red' : status === 'succeeded' ? 'teal' : undefined;
  const active = status === 'queued' || status === 'running';
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Text size="sm" c="dimmed" role="status" aria-live="polite">
          {STATUS[status]}
          {active && percent !== null ? ` · ${percent}%` : ''}
        </Text>
      </Group>
      <Progress value={percent ?? 100} animated={active} striped={active && percent === null} color={colour} size="lg" aria-label={`${label}: ${STATUS[status]}${percent !== null ? `, ${percent}%` : ''}`} />
    </Stack>
  );
}
