import { Anchor, Badge, Card, Grid, Group, SimpleGrid, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { IconChartPie } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router-dom';
import type { EChartsOption } from 'echarts';
import { Chart } from '../features/economics/Chart';
import { dispositionColor, dispositionLabel, percent, tierLabel } from '../features/economics/labels';
import { useEconomicsCurrency, useEconomicsSummary } from '../features/economics/queries';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { formatCount, formatDate, formatMoney, humanise } from '../ui/format';
import type { Schemas } from '../api/client';

type Summary = Schemas['EconomicsSummary'];

/** The book's economics: who is worth what, who to keep, grow or let go, and where the profit comes from. */
export function EconomicsPage() {
  const summary = useEconomicsSummary();
  const currency = useEconomicsCurrency();

  const header = (
    <div>
      <Title order={1} size="h2">
        Economics
      </Title>
      <Text c="dimmed" size="sm">
        Lifetime value, probability a customer is still active, tiers and what to do with each customer.
        {summary.data?.run && ` Scored ${formatDate(summary.data.run.calibrationEnd)} (model ${summary.data.run.modelVersion}).`}
      </Text>
    </div>
  );
  if (summary.isPending)
    return (
      <Stack>
        {header}
        <LoadingState label="Loading economics…" />
      </Stack>
    );
  if (summary.isError)
    return (
      <Stack>
        {header}
        <ErrorState error={summary.error} title="The economics summary could not be loaded" onRetry={() => summary.refetch()} />
      </Stack>
    );
  const s = summary.data;
  if (!s.customers)
    return (
      <Stack>
        {header}
        <EmptyState title="No customer has been scored yet" icon={<IconChartPie size={24} />}>
          Import transactions, then score the book with <code>rapport economics score</code> or <code>POST /api/v1/economics/runs</code>. The demo
          (<code>rapport serve --demo</code>) comes scored.
        </EmptyState>
      </Stack>
    );
  return (
    <Stack gap="md">
      {header}
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Stat label="Customers scored" value={formatCount(s.customers)} />
        <Stat label="Total lifetime value" value={formatMoney(s.totals.clv, currency)} />
        <Stat label="Profit (window)" value={formatMoney(s.totals.profit, currency)} />
        <Stat label="Cost to serve (window)" value={formatMoney(s.totals.costToServe, currency)} />
      </SimpleGrid>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <CountsCard
            title="Tiers"
            caption="By lifetime value. Choose a tier to list its customers."
            rows={[...s.tiers].sort((a, b) => b.clv / Math.max(1, b.customers) - a.clv / Math.max(1, a.customers)).map((t) => ({ key: t.tier, label: tierLabel(t.tier), customers: t.customers, clv: t.clv, to: `/economics/customers?tier=${encodeURIComponent(t.tier)}` }))}
            total={s.customers}
            currency={currency}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <CountsCard
            title="Dispositions"
            caption="What to do with each customer. Choose one to list its customers."
            rows={[...s.dispositions].sort((a, b) => b.customers - a.customers).map((d) => ({ key: d.disposition, label: dispositionLabel(d.disposition), color: dispositionColor(d.disposition), customers: d.customers, clv: d.clv, to: `/economics/customers?disposition=${encodeURIComponent(d.disposition)}` }))}
            total={s.customers}
            currency={currency}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <ClvHistogram s={s} currency={currency} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <WhaleCurve s={s} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <RfmGrid s={s} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <ProfitByDivision s={s} currency={currency} />
            <CostByTouchPoint s={s} currency={currency} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Card>
  );
}

function Section({ title, caption, children }: { title: string; caption?: string; children: React.ReactNode }) {
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

function CountsCard({ title, caption, rows, total, currency }: { title: string; caption: string; rows: { key: string; label: string; color?: string; customers: number; clv: number; to: string }[]; total: number; currency: string }) {
  return (
    <Section title={title} caption={caption}>
      <Table highlightOnHover verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{title.replace(/s$/, '')}</Table.Th>
            <Table.Th ta="right">Customers</Table.Th>
            <Table.Th ta="right">Share</Table.Th>
            <Table.Th ta="right">Lifetime value</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td>
                <Anchor component={Link} to={r.to} aria-label={`${r.label}: list ${formatCount(r.customers)} customers`}>
                  {r.color ? (
                    <Badge color={r.color} variant="light" style={{ cursor: 'pointer' }}>
                      {r.label}
                    </Badge>
                  ) : (
                    r.label
                  )}
                </Anchor>
              </Table.Td>
              <Table.Td ta="right">{formatCount(r.customers)}</Table.Td>
              <Table.Td ta="right">{percent(r.customers / Math.max(1, total), 1)}</Table.Td>
              <Table.Td ta="right">{formatMoney(r.clv, currency)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
}

function ClvHistogram({ s, currency }: { s: Summary; currency: string }) {
  const label = (b: Summary['clvHistogram'][number]) => (b.from === 0 ? `< ${formatMoney(b.to, currency)}` : `${formatMoney(b.from, currency)}–${formatMoney(b.to, currency)}`);
  const option: EChartsOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 56, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: s.clvHistogram.map(label), axisLabel: { rotate: 30, fontSize: 10 }, name: 'Lifetime value', nameLocation: 'middle', nameGap: 44 },
    yAxis: { type: 'value', name: 'Customers' },
    series: [{ type: 'bar', name: 'Customers', data: s.clvHistogram.map((b) => b.customers), itemStyle: { color: '#228be6' } }],
  };
  return (
    <Section title="Lifetime value distribution" caption="Customers by CLV in powers of ten: most are worth little, a few are worth a lot.">
      <Chart option={option} label={`Histogram of customers by lifetime value: ${s.clvHistogram.map((b) => `${label(b)}: ${b.customers}`).join('; ')}`} />
    </Section>
  );
}

function WhaleCurve({ s }: { s: Summary }) {
  const top20 = s.whaleCurve.find((p) => p.customerShare >= 0.2);
  const peak = s.whaleCurve.reduce((m, p) => Math.max(m, p.profitShare), 0);
  const option: EChartsOption = {
    tooltip: { trigger: 'axis', valueFormatter: (v) => percent(Number(v), 1) },
    grid: { left: 56, right: 16, top: 16, bottom: 44 },
    xAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => percent(v) }, name: 'Customers, most profitable first', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => percent(v) }, name: 'Cumulative profit' },
    series: [
      { type: 'line', name: 'Cumulative profit', showSymbol: false, data: [[0, 0], ...s.whaleCurve.map((p) => [p.customerShare, p.profitShare])], areaStyle: { opacity: 0.1 } },
      { type: 'line', name: 'Even split', showSymbol: false, lineStyle: { type: 'dashed', color: '#adb5bd' }, data: [[0, 0], [1, 1]] },
    ],
  };
  return (
    <Section
      title="Cumulative profit (whale curve)"
      caption={
        top20
          ? `The most profitable 20% of customers earn ${percent(top20.profitShare)} of the profit${peak > 1.001 ? `; the curve peaks at ${percent(peak)} because the rest lose money` : ''}.`
          : 'Share of profit from the most profitable customers down.'
      }
    >
      <Chart option={option} label={`Whale curve: the top 20% of customers earn ${percent(top20?.profitShare)} of profit, peak ${percent(peak)}`} />
    </Section>
  );
}

function RfmGrid({ s }: { s: Summary }) {
  const navigate = useNavigate();
  const cells = new Map(s.rfmGrid.map((c) => [`${c.r}:${c.fm}`, c]));
  const max = s.rfmGrid.reduce((m, c) => Math.max(m, c.customers), 1);
  const rows = [5, 4, 3, 2, 1];
  const cols = [1, 2, 3, 4, 5];
  return (
    <Section title="RFM grid" caption="Recency (rows, 5 = bought most recently) by frequency and monetary value (columns, 5 = most). Choose a cell to list its segment.">
      {s.rfmGrid.length === 0 ? (
        <Text size="sm" c="dimmed">
          No customer has a purchase to score recency, frequency and value from.
        </Text>
      ) : (
        <Table withTableBorder withColumnBorders layout="fixed" aria-label="RFM grid">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={56}>R \ FM</Table.Th>
              {cols.map((fm) => (
                <Table.Th key={fm} ta="center">
                  {fm}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r}>
                <Table.Th ta="center">{r}</Table.Th>
                {cols.map((fm) => {
                  const c = cells.get(`${r}:${fm}`);
                  if (!c) return <Table.Td key={fm} bg="gray.0" />;
                  const strength = c.customers / max;
                  return (
                    <Table.Td key={fm} p={0} style={{ background: `rgba(34, 139, 230, ${0.08 + 0.6 * strength})` }}>
                      <UnstyledButton
                        w="100%"
                        p={6}
                        onClick={() => navigate(`/economics/customers?segment=${encodeURIComponent(c.segment)}`)}
                        aria-label={`${c.segment}, recency ${r}, frequency and value ${fm}: ${formatCount(c.customers)} customers`}
                      >
                        <Text size="sm" fw={700} ta="center" c={strength > 0.55 ? 'white' : undefined}>
                          {formatCount(c.customers)}
                        </Text>
                        <Text size="10px" ta="center" lh={1.2} c={strength > 0.55 ? 'white' : 'dimmed'}>
                          {c.segment}
                        </Text>
                      </UnstyledButton>
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

function ProfitByDivision({ s, currency }: { s: Summary; currency: string }) {
  return (
    <Section title="Profit by division" caption="Over the profit window: revenue, gross margin, cost to serve and what is left.">
      {s.profitByDivision.length === 0 ? (
        <Text size="sm" c="dimmed">
          No division has revenue or costs in the window.
        </Text>
      ) : (
        <Table verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Division</Table.Th>
              <Table.Th ta="right">Customers</Table.Th>
              <Table.Th ta="right">Margin</Table.Th>
              <Table.Th ta="right">Cost to serve</Table.Th>
              <Table.Th ta="right">Profit</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.profitByDivision.map((d) => (
              <Table.Tr key={d.divisionId}>
                <Table.Td>{d.divisionName}</Table.Td>
                <Table.Td ta="right">{formatCount(d.customers)}</Table.Td>
                <Table.Td ta="right">{formatMoney(d.grossMargin, currency)}</Table.Td>
                <Table.Td ta="right">{formatMoney(d.costToServe, currency)}</Table.Td>
                <Table.Td ta="right" c={d.profit < 0 ? 'red' : undefined} fw={600}>
                  {formatMoney(d.profit, currency)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

function CostByTouchPoint({ s, currency }: { s: Summary; currency: string }) {
  const rows = [...s.costByTouchPoint].sort((a, b) => b.costToServe - a.costToServe);
  return (
    <Section title="Cost to serve by touch point" caption="Contacts and cases of the last run, priced by the economics settings.">
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No contacts or cases were priced in the last run.
        </Text>
      ) : (
        <Table verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Touch point</Table.Th>
              <Table.Th ta="right">Contacts</Table.Th>
              <Table.Th ta="right">Cases</Table.Th>
              <Table.Th ta="right">Cost</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((t) => (
              <Table.Tr key={t.touchPoint}>
                <Table.Td>{humanise(t.touchPoint)}</Table.Td>
                <Table.Td ta="right">{formatCount(t.interactions)}</Table.Td>
                <Table.Td ta="right">{formatCount(t.cases)}</Table.Td>
                <Table.Td ta="right">{formatMoney(t.costToServe, currency)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group mt="xs" />
    </Section>
  );
}
