import { useState } from 'react';
import { Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import ReactECharts from 'echarts-for-react';
import { IconMessageCircle } from '@tabler/icons-react';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import { useSurveyResults } from '../queries';
import { chartAnimation } from '../chart';

type Kind = 'nps' | 'csat' | 'ces';
type GroupBy = 'division' | 'touchPoint' | 'staff';
const KIND_LABEL: Record<Kind, string> = { nps: 'NPS', csat: 'CSAT', ces: 'CES' };

/** NPS (promoters minus detractors), CSAT and CES by division, touch point or staff member. */
export function SurveyResults() {
  const [kind, setKind] = useState<Kind>('nps');
  const [groupBy, setGroupBy] = useState<GroupBy>('division');
  const r = useSurveyResults(kind, groupBy);
  const groups = r.data?.groups ?? [];
  const value = (g: (typeof groups)[number]) => (kind === 'nps' ? g.score : g.mean);
  return (
    <Stack gap="md">
      <Group gap="lg">
        <div>
          <Text size="sm" fw={500} id="survey-measure">
            Measure
          </Text>
          <SegmentedControl aria-labelledby="survey-measure" data={(['nps', 'csat', 'ces'] as Kind[]).map((k) => ({ value: k, label: KIND_LABEL[k] }))} value={kind} onChange={(v) => setKind(v as Kind)} />
        </div>
        <div>
          <Text size="sm" fw={500} id="survey-group">
            By
          </Text>
          <SegmentedControl
            aria-labelledby="survey-group"
            data={[
              { value: 'division', label: 'Division' },
              { value: 'touchPoint', label: 'Touch point' },
              { value: 'staff', label: 'Staff' },
            ]}
            value={groupBy}
            onChange={(v) => setGroupBy(v as GroupBy)}
          />
        </div>
      </Group>
      {r.isPending ? (
        <LoadingState label="Loading survey results…" />
      ) : r.isError ? (
        <ErrorState error={r.error} title="Survey results could not be loaded" onRetry={() => r.refetch()} />
      ) : groups.length === 0 ? (
        <EmptyState title={`No ${KIND_LABEL[kind]} answers yet`} icon={<IconMessageCircle size={24} />}>
          Answers arrive when customers follow the links sent after a closed case, onboarding or a purchase.
        </EmptyState>
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Paper withBorder p="sm" role="figure" aria-label={`${KIND_LABEL[kind]} by ${groupBy}`}>
            <ReactECharts
              notMerge
              style={{ height: Math.max(220, groups.length * 28 + 60) }}
              option={{
                aria: { enabled: true },
                animation: chartAnimation(),
                tooltip: { trigger: 'item' },
                grid: { left: 170, right: 40, top: 10, bottom: 30 },
                xAxis: { type: 'value', name: kind === 'nps' ? 'NPS' : 'mean', min: kind === 'nps' ? -100 : 0, max: kind === 'nps' ? 100 : kind === 'csat' ? 5 : 7 },
                yAxis: { type: 'category', inverse: true, data: groups.map((g) => g.label) },
                series: [{ type: 'bar', data: groups.map((g) => value(g)), label: { show: true, position: 'right', formatter: (p: { value: number | null }) => (p.value === null ? '' : kind === 'nps' ? p.value.toFixed(0) : p.value.toFixed(2)) } }],
              }}
            />
          </Paper>
          <Table aria-label="Survey results" verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{groupBy === 'touchPoint' ? 'Touch point' : groupBy === 'staff' ? 'Staff member' : 'Division'}</Table.Th>
                <Table.Th ta="right">Answers</Table.Th>
                <Table.Th ta="right">{kind === 'nps' ? 'NPS' : 'Mean'}</Table.Th>
                {kind === 'nps' && <Table.Th ta="right">Promoters · passives · detractors</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {groups.map((g) => (
                <Table.Tr key={g.key ?? g.label}>
                  <Table.Td>{g.label}</Table.Td>
                  <Table.Td ta="right">{g.responses.toLocaleString()}</Table.Td>
                  <Table.Td ta="right">{value(g) === null ? '—' : kind === 'nps' ? value(g)?.toFixed(0) : value(g)?.toFixed(2)}</Table.Td>
                  {kind === 'nps' && (
                    <Table.Td ta="right">
                      {g.promoters} · {g.passives} · {g.detractors}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </SimpleGrid>
      )}
    </Stack>
  );
}
