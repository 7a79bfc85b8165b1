import { Alert, Card, Grid, Group, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconHeartHandshake, IconInfoCircle } from '@tabler/icons-react';
import type { EChartsOption } from 'echarts';
import { useState, type ReactNode } from 'react';
import type { Schemas } from '../api/client';
import { Chart } from '../features/economics/Chart';
import { percent } from '../features/economics/labels';
import { useExperience, type Interval } from '../features/experience/queries';
import { useDivisions } from '../features/org/divisions';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { formatCount, humanise } from '../ui/format';

type Measures = Schemas['ExperienceMeasures'];
type Period = Measures['periods'][number];

const NO_DATA = 'No data yet';
const num = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? NO_DATA : v.toFixed(digits));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? NO_DATA : percent(v, 1));

/**
 * Total customer experience: how fast and how well the bank delivers (turnaround, mishandled orders, custom work)
 * and how customers answer (CSAT, NPS, churn, share of wallet, referrals), by division and over time. A measure
 * with nothing behind it says "No data yet" rather than a zero.
 */
export function ExperiencePage() {
  const [months, setMonths] = useState('12');
  const [interval, setInterval] = useState<Interval>('month');
  const [divisionId, setDivisionId] = useState<string | null>(null);
  const { directory, isError: divisionsFailed } = useDivisions();
  const { overTime, total, byDivision } = useExperience({ months: Number(months), interval, divisionId });

  const controls = (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <Select
        label="Period"
        data={[
          { value: '3', label: 'Last 3 months' },
          { value: '12', label: 'Last 12 months' },
          { value: '36', label: 'Last 3 years' },
        ]}
        value={months}
        onChange={(v) => v && setMonths(v)}
        allowDeselect={false}
        w={170}
      />
      <Select
        label="Division"
        placeholder={divisionsFailed ? 'Divisions unavailable' : 'All divisions'}
        data={directory.list.map((d) => ({ value: d.id, label: d.name }))}
        value={divisionId}
        onChange={setDivisionId}
        clearable
        w={220}
        disabled={divisionsFailed}
      />
      <div>
        <Text size="sm" fw={500} id="experience-interval" mb={4}>
          Over time by
        </Text>
        <SegmentedControl
          aria-labelledby="experience-interval"
          value={interval}
          onChange={(v) => setInterval(v as Interval)}
          data={[
            { value: 'week', label: 'Week' },
            { value: 'month', label: 'Month' },
            { value: 'quarter', label: 'Quarter' },
          ]}
        />
      </div>
    </Group>
  );

  const header = (
    <div>
      <Title order={1} size="h2">
        Experience
      </Title>
      <Text c="dimmed" size="sm">
        Total customer experience: turnaround, mishandled orders, custom work, satisfaction, willingness to recommend, churn, share of wallet and referrals.
      </Text>
    </div>
  );

  let body: ReactNode;
  if (total.isPending || overTime.isPending) body = <LoadingState label="Loading experience measures…" />;
  else if (total.isError || overTime.isError)
    body = (
      <ErrorState
        error={total.error ?? overTime.error}
        title="The experience measures could not be loaded"
        onRetry={() => {
          void total.refetch();
          void overTime.refetch();
        }}
      />
    );
  else {
    const all = total.data;
    const t = all.periods[0];
    const s = all.signals;
    const nothing = !t || (t.quotes.requested === 0 && t.orders.accepted === 0 && s.csat === null && s.nps === null && s.churnRate === null && s.referrals === null && s.shareOfWallet === null);
    body = nothing ? (
      <EmptyState title="Nothing measured in this period" icon={<IconHeartHandshake size={24} />}>
        Quotes, orders, survey answers, lifecycle moves and referrals in the period appear here. Try a longer period or another division.
      </EmptyState>
    ) : (
      <Stack gap="md">
        {s.source === 'not-connected' && (
          <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />}>
            Satisfaction, NPS, churn, share of wallet and referrals are not connected to this server yet, so they show “{NO_DATA}”.
          </Alert>
        )}
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Kpi label="CSAT" value={num(s.csat, 2)} hint="Average satisfaction from survey answers" />
          <Kpi label="NPS" value={s.nps === null ? NO_DATA : Math.round(s.nps).toString()} hint="Promoters less detractors, −100 to 100" />
          <Kpi label="Churn" value={pct(s.churnRate)} hint="Customers who moved to dissociation" />
          <Kpi label="Share of wallet" value={pct(s.shareOfWallet)} hint="From the latest economics run" />
          <Kpi label="Referrals" value={s.referrals === null ? NO_DATA : formatCount(s.referrals)} hint="Opportunities an existing customer referred" />
          <Kpi label="Mishandled orders" value={pct(t?.orders.mishandledRate)} hint={`${formatCount(t?.orders.accepted ?? 0)} orders accepted`} />
          <Kpi label="Custom orders" value={pct(t?.orders.customShare)} hint="Share of orders with custom work" />
          <Kpi label="On time" value={pct(t?.orders.onTimeRate)} hint={`${formatCount(t?.orders.delivered ?? 0)} orders delivered`} />
        </SimpleGrid>
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Turnaround periods={overTime.data.periods} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Rates periods={overTime.data.periods} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Satisfaction series={overTime.data.signals.series} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <TouchPoints rows={s.byTouchPoint} />
          </Grid.Col>
          <Grid.Col span={12}>
            <Divisions data={byDivision.data} name={(id) => directory.name(id)} failed={byDivision.isError} />
          </Grid.Col>
        </Grid>
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      {header}
      {controls}
      {body}
    </Stack>
  );
}

function Kpi({ label, value, hint }: { label: string; value: string; hint: string }) {
  const empty = value === NO_DATA;
  return (
    <Card withBorder padding="sm" aria-label={`${label}: ${value}`}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size={empty ? 'md' : 'xl'} fw={empty ? 500 : 700} c={empty ? 'dimmed' : undefined}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </Card>
  );
}

function Section({ title, caption, children }: { title: string; caption?: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md" component="section" aria-label={title} h="100%">
      <Title order={2} size="h4">
        {title}
      </Title>
      {caption && (
        <Text size="xs" c="dimmed" mb="xs">
          {caption}
        </Text>
      )}
      {children}
    </Card>
  );
}

const lineChart = (periods: string[], series: { name: string; data: (number | null)[]; yAxisIndex?: number }[], axes: { name: string; percent?: boolean }[]): EChartsOption => ({
  tooltip: { trigger: 'axis' },
  legend: { bottom: 0 },
  grid: { left: 52, right: axes.length > 1 ? 52 : 16, top: 28, bottom: 52 },
  xAxis: { type: 'category', data: periods, axisLabel: { fontSize: 10 } },
  yAxis: axes.map((a) => ({ type: 'value', name: a.name, axisLabel: a.percent ? { formatter: (v: number) => percent(v) } : undefined })),
  series: series.map((s) => ({ type: 'line', connectNulls: true, name: s.name, data: s.data, yAxisIndex: s.yAxisIndex ?? 0 })),
});

function Turnaround({ periods }: { periods: Period[] }) {
  const has = periods.some((p) => p.quotes.requestToQuoteHours.count || p.orders.quoteToDeliveryDays.count);
  return (
    <Section title="Turnaround" caption="Median hours from request to quote, and days from quote to delivery.">
      {has ? (
        <Chart
          label="Turnaround over time"
          option={lineChart(
            periods.map((p) => p.period),
            [
              { name: 'Request → quote (h)', data: periods.map((p) => p.quotes.requestToQuoteHours.median) },
              { name: 'Quote → delivery (d)', data: periods.map((p) => p.orders.quoteToDeliveryDays.median), yAxisIndex: 1 },
            ],
            [{ name: 'hours' }, { name: 'days' }],
          )}
        />
      ) : (
        <Text size="sm" c="dimmed">
          {NO_DATA}: no quote or delivery in the period.
        </Text>
      )}
    </Section>
  );
}

function Rates({ periods }: { periods: Period[] }) {
  const has = periods.some((p) => p.orders.accepted);
  return (
    <Section title="Mishandled and custom orders" caption="Share of accepted orders mishandled (late, wrong or cancelled by us) and share with custom work.">
      {has ? (
        <Chart
          label="Mishandled and custom order rates over time"
          option={lineChart(
            periods.map((p) => p.period),
            [
              { name: 'Mishandled', data: periods.map((p) => p.orders.mishandledRate) },
              { name: 'Custom', data: periods.map((p) => p.orders.customShare) },
              { name: 'On time', data: periods.map((p) => p.orders.onTimeRate) },
            ],
            [{ name: 'share', percent: true }],
          )}
        />
      ) : (
        <Text size="sm" c="dimmed">
          {NO_DATA}: no order accepted in the period.
        </Text>
      )}
    </Section>
  );
}

function Satisfaction({ series }: { series: Measures['signals']['series'] }) {
  const has = series.some((p) => p.csat !== null || p.nps !== null || p.churned || p.referrals);
  return (
    <Section title="Satisfaction, churn and referrals over time">
      {has ? (
        <Chart
          label="CSAT, NPS, churned customers and referrals over time"
          option={lineChart(
            series.map((p) => p.period),
            [
              { name: 'NPS', data: series.map((p) => p.nps) },
              { name: 'CSAT', data: series.map((p) => p.csat), yAxisIndex: 1 },
              { name: 'Churned', data: series.map((p) => p.churned), yAxisIndex: 1 },
              { name: 'Referrals', data: series.map((p) => p.referrals), yAxisIndex: 1 },
            ],
            [{ name: 'NPS' }, { name: 'CSAT / count' }],
          )}
        />
      ) : (
        <Text size="sm" c="dimmed">
          {NO_DATA}: no survey answers, lifecycle moves or referrals in the period.
        </Text>
      )}
    </Section>
  );
}

function TouchPoints({ rows }: { rows: Measures['signals']['byTouchPoint'] }) {
  return (
    <Section title="CSAT and NPS by touch point">
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {NO_DATA}: no survey answers in the period.
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Touch point</Table.Th>
              <Table.Th ta="right">CSAT</Table.Th>
              <Table.Th ta="right">Answers</Table.Th>
              <Table.Th ta="right">NPS</Table.Th>
              <Table.Th ta="right">Answers</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.touchPoint}>
                <Table.Td>{humanise(r.touchPoint)}</Table.Td>
                <Table.Td ta="right">{r.csat === null ? '—' : r.csat.toFixed(2)}</Table.Td>
                <Table.Td ta="right">{formatCount(r.csatResponses)}</Table.Td>
                <Table.Td ta="right">{r.nps === null ? '—' : Math.round(r.nps)}</Table.Td>
                <Table.Td ta="right">{formatCount(r.npsResponses)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

function Divisions({ data, name, failed }: { data: Measures | undefined; name(id: string): string; failed: boolean }) {
  const rows = (data?.periods ?? []).filter((p) => p.divisionId);
  return (
    <Section title="By division" caption="Over the whole period.">
      {failed ? (
        <Text size="sm" c="red">
          The division breakdown could not be loaded.
        </Text>
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {NO_DATA}: no division quoted or delivered in the period.
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Division</Table.Th>
              <Table.Th ta="right">Quotes</Table.Th>
              <Table.Th ta="right">Request → quote (median h)</Table.Th>
              <Table.Th ta="right">Orders</Table.Th>
              <Table.Th ta="right">Quote → delivery (median d)</Table.Th>
              <Table.Th ta="right">On time</Table.Th>
              <Table.Th ta="right">Mishandled</Table.Th>
              <Table.Th ta="right">Custom</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((p) => (
              <Table.Tr key={p.divisionId}>
                <Table.Td>{name(p.divisionId!)}</Table.Td>
                <Table.Td ta="right">{formatCount(p.quotes.issued)}</Table.Td>
                <Table.Td ta="right">{p.quotes.requestToQuoteHours.median?.toFixed(1) ?? '—'}</Table.Td>
                <Table.Td ta="right">{formatCount(p.orders.accepted)}</Table.Td>
                <Table.Td ta="right">{p.orders.quoteToDeliveryDays.median?.toFixed(1) ?? '—'}</Table.Td>
                <Table.Td ta="right">{p.orders.onTimeRate === null ? '—' : percent(p.orders.onTimeRate)}</Table.Td>
                <Table.Td ta="right">{p.orders.mishandledRate === null ? '—' : percent(p.orders.mishandledRate)}</Table.Td>
                <Table.Td ta="right">{p.orders.customShare === null ? '—' : percent(p.orders.customShare)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}
