import { SegmentedControl, Stack } from '@mantine/core';
import { useSearchParams } from 'react-router-dom';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { OpportunityDrawer } from './OpportunityDrawer';
import { PipelineBoard } from './PipelineBoard';
import { usePipelines } from './queries';

/** Pick a pipeline (kept in the URL), see its board, open a deal beside it. */
export function PipelinePanel() {
  const pipelines = usePipelines();
  const [params, setParams] = useSearchParams();
  if (pipelines.isPending) return <LoadingState label="Loading pipelines…" />;
  if (pipelines.isError) return <ErrorState error={pipelines.error} onRetry={() => void pipelines.refetch()} />;
  if (pipelines.data.length === 0) return <EmptyState title="No pipelines yet">An administrator sets pipelines up per division (POST /api/v1/sales/pipelines).</EmptyState>;
  const current = pipelines.data.find((p) => p.id === params.get('pipeline')) ?? pipelines.data[0];
  const opened = params.get('opportunity');
  const set = (key: string, value: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (value === null) next.delete(key);
      else next.set(key, value);
      return next;
    });
  return (
    <Stack gap="md">
      <SegmentedControl
        aria-label="Pipeline"
        value={current.id}
        onChange={(v) => set('pipeline', v)}
        data={pipelines.data.map((p) => ({ value: p.id, label: p.name }))}
        style={{ alignSelf: 'flex-start' }}
      />
      <PipelineBoard key={current.id} pipeline={current} onOpen={(id) => set('opportunity', id)} />
      <OpportunityDrawer id={opened} pipeline={current} onClose={() => set('opportunity', null)} />
    </Stack>
  );
}
