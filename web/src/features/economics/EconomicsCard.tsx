import { Badge, Card, Group, List, SimpleGrid, Table, Text, Title, Tooltip } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { Schemas } from '../../api/client';
import { formatDate, formatMoney } from '../../ui/format';
import { dispositionColor, dispositionLabel, percent, tierLabel } from './labels';

type Economics = Schemas['CustomerEconomics'];

/**
 * What the customer is worth to the whole bank and what to do about it: CLV, P(alive), tier, the disposition
 * with the reasons that chose it, the RFM segment and profit by division, so one division's view of a small
 * customer does not hide a valuable one.
 */
export function EconomicsCard({ economics: e }: { economics: Economics | null }) {
  if (!e)
    return (
      <Card withBorder component="section" aria-label="Economics">
        <Title order={2} size="h4">
          Economics
        </Title>
        <Text size="sm" c="dimmed">
          Not scored yet: the next economics run scores this customer once they have purchases.
        </Text>
      </Card>
    );
  const money = (v: number | null) => formatMoney(v, e.currency);
  const trend = e.probabilityAlive !== null && e.probabilityAlivePrevious !== null ? e.probabilityAlive - e.probabilityAlivePrevious : null;
  const divisions = [...e.profit.byDivision].sort((a, b) => b.revenue - a.revenue);
  return (
    <Card withBorder component="section" aria-label="Economics">
      <Group justify="space-between" align="flex-start" mb="xs">
        <div>
          <Title order={2} size="h4">
            Economics
          </Title>
          <Text size="xs" c="dimmed">
            Scored {formatDate(e.calibrationEnd)} · {e.horizonMonths}-month horizon · model {e.modelVersion}
          </Text>
        </div>
        <Group gap={6}>
          <Badge size="lg" variant="outline" component={Link} to={`/economics/customers?tier=${encodeURIComponent(e.tier)}`} style={{ cursor: 'pointer' }} aria-label={`Tier ${tierLabel(e.tier)}`}>
            {tierLabel(e.tier)}
          </Badge>
          <Badge size="lg" color={dispositionColor(e.disposition)} component={Link} to={`/economics/customers?disposition=${encodeURIComponent(e.disposition)}`} style={{ cursor: 'pointer' }} aria-label={`Disposition ${dispositionLabel(e.disposition)}`}>
            {dispositionLabel(e.disposition)}
          </Badge>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} mb="sm">
        <Figure label="Lifetime value" value={money(e.clv)} hint="Discounted margin expected over the horizon, across every division" />
        <Figure
          label="P(alive)"
          value={percent(e.probabilityAlive)}
          note={trend !== null && Math.abs(trend) >= 0.005 ? `${trend > 0 ? '▲' : '▼'} ${percent(Math.abs(trend))} since last window` : undefined}
          hint="Probability the customer is still active"
        />
        <Figure label={`Profit, ${e.profit.windowDays} days`} value={money(e.profit.profit)} hint="Gross margin less the cost to serve" />
        <Figure label="RFM segment" value={e.rfm?.segment ?? '—'} note={e.rfm ? `R${e.rfm.r} F${e.rfm.f} M${e.rfm.m}` : 'no purchase yet'} />
      </SimpleGrid>
      <Text size="sm" fw={600}>
        Why {dispositionLabel(e.disposition).toLowerCase()}
      </Text>
      <List size="sm" mb="sm" spacing={2}>
        {e.reasons.map((r) => (
          <List.Item key={r}>{r}</List.Item>
        ))}
      </List>
      {divisions.length > 0 && (
        <>
          <Text size="sm" fw={600}>
            Value by division{divisions.length > 1 ? ` (combined ${money(e.profit.revenue)} revenue)` : ''}
          </Text>
          <Table fz="sm" verticalSpacing={2} aria-label="Profit by division">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Division</Table.Th>
                <Table.Th ta="right">Revenue</Table.Th>
                <Table.Th ta="right">Margin</Table.Th>
                <Table.Th ta="right">Cost to serve</Table.Th>
                <Table.Th ta="right">Profit</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {divisions.map((d) => (
                <Table.Tr key={d.divisionId}>
                  <Table.Td>{d.divisionName}</Table.Td>
                  <Table.Td ta="right">{money(d.revenue)}</Table.Td>
                  <Table.Td ta="right">{money(d.grossMargin)}</Table.Td>
                  <Table.Td ta="right">{money(d.costToServe)}</Table.Td>
                  <Table.Td ta="right" c={d.profit < 0 ? 'red' : undefined}>
                    {money(d.profit)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
      {e.wallet.shareOfWallet !== null && (
        <Text size="sm" mt="xs">
          Share of wallet {percent(e.wallet.shareOfWallet)}
          {e.wallet.untapped.length > 0 && ` · peers also hold ${e.wallet.untapped.map((u) => u.category).join(', ')}`}
        </Text>
      )}
    </Card>
  );
}

function Figure({ label, value, note, hint }: { label: string; value: string; note?: string; hint?: string }) {
  const body = (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="lg" fw={700}>
        {value}
      </Text>
      {note && (
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      )}
    </div>
  );
  return hint ? (
    <Tooltip label={hint} openDelay={400}>
      {body}
    </Tooltip>
  ) : (
    body
  );
}
