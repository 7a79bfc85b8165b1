import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Group, Paper, Stack, Text } from '@mantine/core';
import { IconArrowsJoin2 } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { ErrorState } from '../../../ui/states';
import { formatCount } from '../../../ui/format';
import { invalidateClusters, isFinished, useJob, useStartResolution } from '../queries';
import { resolutionResult } from '../jobs';
import { JobProgress } from './JobProgress';

/**
 * Starts a resolution run (a job) and follows it to its summary. Incremental by default: only records changed
 * since the last run are compared against everyone; a full run recomputes every customer.
 */
export function ResolutionRun({ intro }: { intro?: string }) {
  const queryClient = useQueryClient();
  const [full, setFull] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useStartResolution();
  const job = useJob(jobId);
  const done = isFinished(job.data);
  const result = resolutionResult(job.data);
  const running = start.isPending || (jobId !== null && !done);

  useEffect(() => {
    if (job.data?.status === 'succeeded') void invalidateClusters(queryClient);
  }, [job.data?.status, queryClient]);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="resolution-title">
      <Stack gap="sm">
        <div>
          <Text fw={600} id="resolution-title">
            Resolve records into customers
          </Text>
          <Text size="sm" c="dimmed">
            {intro ?? 'Matches the division records against each other: clear matches are linked, doubtful pairs wait for review.'}
          </Text>
        </div>
        <Group gap="md">
          <Button
            leftSection={<IconArrowsJoin2 size={16} />}
            loading={running}
            onClick={() => start.mutate(full, { onSuccess: (started) => setJobId(started.id) })}
          >
            {jobId && done ? 'Run resolution again' : 'Run resolution'}
          </Button>
          <Checkbox label="Full run: recompute every customer" checked={full} onChange={(e) => setFull(e.currentTarget.checked)} disabled={running} />
        </Group>
        {start.isError && <ErrorState error={start.error} title="Resolution could not be started" />}
        {jobId && <JobProgress job={job.data} label="Resolution" />}
        {job.isError && <ErrorState error={job.error} title="The run’s progress could not be read" onRetry={() => job.refetch()} />}
        {job.data?.status === 'failed' && (
          <Alert color="red" title="Resolution failed" role="alert">
            {job.data.error ?? 'The run stopped without saying why.'} Customers are as they were before the run.
          </Alert>
        )}
        {result && (
          <Alert color="teal" variant="light" title="Resolution finished" role="status">
            <Stack gap={6}>
              <Text size="sm">
                {formatCount(result.records)} records resolved into {formatCount(result.customers)} customers ({result.mode} run, {result.seconds} s):{' '}
                {formatCount(result.created)} new, {formatCount(result.changed)} changed, {formatCount(result.retired)} retired; {formatCount(result.autoLinks)} links made
                automatically.
              </Text>
              <Group gap="sm">
                <Text size="sm">
                  {result.reviewPairs === 0
                    ? 'No pair needs a person’s review.'
                    : `${formatCount(result.reviewPairs)} doubtful pair${result.reviewPairs === 1 ? '' : 's'} in this run; those already decided stay decided.`}
                </Text>
                {result.reviewPairs > 0 && (
                  <Button component={Link} to="/identity/review" size="compact-sm" variant="light">
                    Review pairs
                  </Button>
                )}
                <Button component={Link} to="/customers" size="compact-sm" variant="subtle">
                  See customers
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
