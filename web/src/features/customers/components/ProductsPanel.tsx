import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconPackage } from '@tabler/icons-react';
import type { Holding } from '../../../api/types';
import type { DivisionDirectory } from '../../org/divisions';
import { DivisionBadge } from '../../org/DivisionBadge';
import { formatDate, formatMoney, humanise } from '../../../ui/format';
import { EmptyState } from '../../../ui/states';

const STATUS_ORDER: Record<Holding['status'], number> = { open: 0, offered: 1, closed: 2 };
const STATUS_COLOUR: Record<Holding['status'], string> = { open: 'green', offered: 'yellow', closed: 'gray' };
/** The 360 view returns at most this many holdings. */
const HOLDINGS_CAP = 500;

/** Account numbers are shown by their last four characters: enough to tell accounts apart on a call. */
const maskAccount = (n: string) => (n.length > 4 ? `•••• ${n.slice(-4)}` : n);

/** Every product the customer holds in any division: what the card team must see before mailing an offer. */
export function ProductsPanel({ holdings, hiddenElsewhere, directory }: { holdings: Holding[]; hiddenElsewhere: number; directory: DivisionDirectory }) {
  const sorted = [...holdings].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.divisionName.localeCompare(b.divisionName) || a.productName.localeCompare(b.productName));
  const open = holdings.filter((h) => h.status === 'open').length;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="products-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="products-title">
            Products held
          </Title>
          {holdings.length > 0 && (
            <Text size="xs" c="dimmed">
              {open} open of {holdings.length}
            </Text>
          )}
        </Group>
        {holdings.length === 0 ? (
          <EmptyState title="No products recorded" icon={<IconPackage size={24} />}>
            No division {hiddenElsewhere ? 'that you serve ' : ''}has recorded an account or policy for this customer.
          </EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing={6} highlightOnHover aria-labelledby="products-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Product</Table.Th>
                  <Table.Th>Division</Table.Th>
                  <Table.Th>Account</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Opened</Table.Th>
                  <Table.Th ta="right">Balance</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sorted.map((h) => (
                  <Table.Tr key={h.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {h.productName}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {humanise(h.productCategory)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <DivisionBadge id={h.divisionId} directory={directory} size="xs" />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace" aria-label={`account ending ${h.accountNumber.slice(-4)}`}>
                        {maskAccount(h.accountNumber)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={STATUS_COLOUR[h.status]}>
                        {h.status}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDate(h.openedOn)}</Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm">{'balance' in h ? formatMoney(h.balance, h.currency) : 'hidden'}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {holdings.length >= HOLDINGS_CAP && (
          <Text size="xs" c="dimmed">
            The first {HOLDINGS_CAP} products are shown.
          </Text>
        )}
        {hiddenElsewhere > 0 && (
          <Text size="xs" c="dimmed">
            Divisions you do not serve hold {hiddenElsewhere} more product{hiddenElsewhere === 1 ? '' : 's'} for this customer.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
