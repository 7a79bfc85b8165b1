import { Alert, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconCalendarDue, IconShieldCheck } from '@tabler/icons-react';
import { formatDate, formatMoney } from '../../ui/format';
import type { PricedQuote } from './queries';

const TIER: Record<PricedQuote['customer']['tier'], string> = { top1: 'Top 1 %', top5: 'Top 5 %', top20: 'Top 20 %', rest: 'Other customers' };

/** A priced configuration as a rep shows it: each line's price with the steps that made it, and one delivery date. */
export function PriceResult({ priced }: { priced: PricedQuote }) {
  const cur = priced.currency;
  const { delivery } = priced;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Paper withBorder p="md">
          <Text size="xs" c="dimmed">
            Total
          </Text>
          <Text size="xl" fw={700} data-testid="quote-net-total">
            {formatMoney(priced.totals.net, cur)}
          </Text>
          <Text size="xs" c="dimmed">
            List {formatMoney(priced.totals.list, cur)}, {priced.totals.discountPercent}% off ({formatMoney(priced.totals.discount, cur)})
            {priced.marginPercent !== null && ` · margin ${priced.marginPercent}%`}
          </Text>
        </Paper>
        <Paper withBorder p="md">
          <Group gap={6}>
            <IconCalendarDue size={16} aria-hidden />
            <Text size="xs" c="dimmed">
              Delivery, everything together
            </Text>
          </Group>
          <Text size="xl" fw={700} data-testid="quote-delivery-date">
            {formatDate(delivery.date)}
          </Text>
          <Text size="xs" c={delivery.meetsNeedBy === false ? 'red' : 'dimmed'}>
            {delivery.needBy ? (delivery.meetsNeedBy ? `Meets the need-by date ${formatDate(delivery.needBy)}` : `Later than the need-by date ${formatDate(delivery.needBy)}`) : 'No need-by date given'}
            {delivery.critical && ` · waits on ${delivery.critical.component} from ${delivery.critical.fulfiller} (ready ${formatDate(delivery.critical.readyOn)})`}
          </Text>
        </Paper>
        <Paper withBorder p="md">
          <Text size="xs" c="dimmed">
            Customer value
          </Text>
          <Text fw={600}>{TIER[priced.customer.tier]}</Text>
          <Text size="xs" c="dimmed">
            {priced.customer.known ? 'From the customer economics model' : 'Economics knows nothing of this customer yet; priced as other customers'} · price list {priced.priceList.name}
          </Text>
        </Paper>
      </SimpleGrid>
      {priced.approval.required ? (
        <Alert color="yellow" icon={<IconShieldCheck size={18} />} title={`Needs approval: above the ${priced.approval.thresholdPercent}% threshold`}>
          {priced.approval.reasons.join(' ')} Saving sends the quote for approval before it can be issued.
        </Alert>
      ) : (
        <Text size="xs" c="dimmed">
          Discounts up to {priced.approval.thresholdPercent}% need no approval.
        </Text>
      )}
      {priced.lines.map((line) => (
        <Paper withBorder p="md" key={line.lineNo} aria-label={`Price of line ${line.lineNo}`} component="section">
          <Group justify="space-between" align="flex-start">
            <div>
              <Title order={3} size="h5">
                {line.lineNo}. {line.quantity} × {line.name}
              </Title>
              <Text size="xs" c="dimmed">
                {line.summary.join(' · ')}
              </Text>
            </div>
            <div style={{ textAlign: 'right' }}>
              <Text fw={700}>{formatMoney(line.netAmount, cur)}</Text>
              <Text size="xs" c="dimmed">
                {formatMoney(line.unitPrice, cur)} each{line.discountPercent > 0 && `, ${line.discountPercent}% off ${formatMoney(line.listUnitPrice, cur)}`}
              </Text>
              <Text size="xs">Ready to ship {formatDate(line.deliveryDate)}</Text>
            </div>
          </Group>
          <Table mt="xs" fz="xs" aria-label={`How line ${line.lineNo} was priced`} withRowBorders={false}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Price step</Table.Th>
                <Table.Th ta="right">Change</Table.Th>
                <Table.Th ta="right">Unit price</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {line.trail.map((s, i) => (
                <Table.Tr key={`${s.code}-${i}`}>
                  <Table.Td>
                    <Badge size="xs" variant="light" mr={6} color={s.kind === 'rule' ? 'grape' : s.kind === 'manual' ? 'orange' : s.kind === 'floor' ? 'red' : 'gray'}>
                      {s.kind}
                    </Badge>
                    {s.label}
                    {s.reason && <Text span c="dimmed"> — {s.reason}</Text>}
                  </Table.Td>
                  <Table.Td ta="right">{formatMoney(s.amount, cur)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(s.unitPrice, cur)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {line.components.length > 0 && (
            <Text size="xs" c="dimmed" mt="xs">
              Availability: {line.components.map((c) => `${c.quantity} ${c.component} from ${c.fulfiller} by ${formatDate(c.readyOn)}`).join('; ')}
              {line.assemblyDays > 0 && `; then ${line.assemblyDays} day(s) of assembly`}
            </Text>
          )}
        </Paper>
      ))}
      <Paper withBorder p="md">
        <Title order={3} size="h5" mb="xs">
          Who makes what
        </Title>
        <Table fz="sm" aria-label="Fulfillers">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Fulfiller</Table.Th>
              <Table.Th>Components</Table.Th>
              <Table.Th ta="right">Ready</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {delivery.routes.map((r) => (
              <Table.Tr key={r.fulfillerId}>
                <Table.Td>
                  {r.fulfillerName}{' '}
                  <Badge size="xs" variant="light" color={r.kind === 'own' ? 'blue' : 'teal'}>
                    {r.kind === 'own' ? 'in-house' : 'subcontractor'}
                  </Badge>
                </Table.Td>
                <Table.Td>{r.items.map((i) => `${i.quantity} ${i.component}`).join(', ')}</Table.Td>
                <Table.Td ta="right">{formatDate(r.readyOn)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
