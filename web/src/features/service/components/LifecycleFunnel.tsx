import { Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import ReactECharts from 'echarts-for-react';
import { IconTimeline } from '@tabler/icons-react';
import { formatDate, humanise } from '../../../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import { useLifecycleMeasures } from '../queries';
import { chartAnimation } from '../chart';

const ORDER = ['recruitment', 'welcoming', 'getting_to_know', 'account_management', 'intensive_care', 'dissociation'] as const;
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)} %`);
const days = (v: number | null) => (v === null ? '—' : `${v.toFixed(0)} d`);

/** Customers per lifecycle stage, how long they stay, and how many move on to the next stage. */
export function LifecycleFunnel() {
  const m = useLifecycleMeasures();
  if (m.isPending) return <LoadingState label="Loading the lifecycle…" />;
  if (m.isError) return <ErrorState error={m.error} title="The lifecycle could not be loaded" onRetry={() => m.refetch()} />;
  const byStage = new Map(m.data.stages.map((s) => [s.stage, s]));
  const stages = ORDER.map((stage) => byStage.get(stage) ?? { stage, customers: 0, avgDaysInStageNow: null, avgDaysPerCompletedStay: null, completedStays: 0 });
  const total = stages.reduce((a, s) => a + s.customers, 0);
  if (total === 0)
    return (
      <EmptyState title="No customer has a lifecycle stage yet" icon={<IconTimeline size={24} />}>
        The lifecycle sweep classifies customers from their holdings and moves them as events arrive.
      </EmptyState>
    );
  const nextOf = (i: number) => (i < 3 ? ORDER[i + 1] : null);
  const option = {
    aria: { enabled: true },
    animation: chartAnimation(),
    tooltip: { trigger: 'item' },
    grid: { left: 150, right: 40, top: 10, bottom: 30 },
    xAxis: { type: 'value', name: 'customers' },
    yAxis: { type: 'category', inverse: true, data: stages.map((s) => humanise(s.stage)) },
    series: [{ type: 'bar', data: stages.map((s) => ({ value: s.customers, itemStyle: { color: s.stage === 'intensive_care' ? '#fa5252' : s.stage === 'dissociation' ? '#868e96' : '#228be6' } })), label: { show: true, position: 'right' } }],
  };
  return (
    <Stack gap="md">
      <Group gap="lg">
        <Text size="sm">
          Period {formatDate(m.data.period.from)} – {formatDate(m.data.period.to)}
        </Text>
        <Text size="sm">Retention {pct(m.data.retentionRate)}</Text>
        <Text size="sm">Recovery from intensive care {pct(m.data.recoveryRate)}</Text>
      </Group>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="sm" role="figure" aria-label="Customers per lifecycle stage">
          <ReactECharts option={option} style={{ height: 280 }} notMerge />
        </Paper>
        <Table aria-label="Lifecycle stages" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Stage</Table.Th>
              <Table.Th ta="right">Customers</Table.Th>
              <Table.Th ta="right">Days in stage (now)</Table.Th>
              <Table.Th ta="right">Days per completed stay</Table.Th>
              <Table.Th ta="right">On to next stage</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {stages.map((s, i) => {
              const next = nextOf(i);
              const conv = next ? m.data.conversion[s.stage]?.[next] : undefined;
              return (
                <Table.Tr key={s.stage}>
                  <Table.Td>{humanise(s.stage)}</Table.Td>
                  <Table.Td ta="right">{s.customers.toLocaleString()}</Table.Td>
                  <Table.Td ta="right">{days(s.avgDaysInStageNow)}</Table.Td>
                  <Table.Td ta="right">{days(s.avgDaysPerCompletedStay)}</Table.Td>
                  <Table.Td ta="right">{next ? pct(conv) : ''}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </SimpleGrid>
    </Stack>
  );
}
