import { Anchor, Badge, Breadcrumbs, Button, Grid, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconUserQuestion } from '@tabler/icons-react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useCustomer360 } from '../features/customers/queries';
import { ProfileCard } from '../features/customers/components/ProfileCard';
import { SourceRecordsPanel } from '../features/customers/components/SourceRecordsPanel';
import { ProductsPanel } from '../features/customers/components/ProductsPanel';
import { InsightsPanel } from '../features/customers/components/InsightsPanel';
import { EconomicsCard } from '../features/economics/EconomicsCard';
import { CustomerHistoryPanel, UndoLastMerge, splitActionFor } from '../features/identity/components/CustomerIdentity';
import { InteractionTimeline } from '../features/interactions/components/InteractionTimeline';
import { CustomerSalesCard } from '../features/sales/CustomerSalesCard';
import { TIMELINE_PAGE_SIZE } from '../features/interactions/queries';
import { useDivisions } from '../features/org/divisions';
import { DivisionBadge } from '../features/org/DivisionBadge';
import { ServiceCard } from '../features/service/components/ServiceCard';
import { EmptyState, ErrorState } from '../ui/states';
import { formatDate } from '../ui/format';

/** One customer across every division: the golden profile, each division's record, products held and every contact. */
export function CustomerPage() {
  const { id = '' } = useParams();
  const view = useCustomer360(id, TIMELINE_PAGE_SIZE);
  const { directory } = useDivisions();

  const crumbs = (
    <Breadcrumbs>
      <Anchor component={Link} to="/customers" size="sm">
        Customers
      </Anchor>
      <Text size="sm">{view.data?.customer.displayName ?? '…'}</Text>
    </Breadcrumbs>
  );

  if (view.isError) {
    const missing = view.error instanceof ApiError && (view.error.status === 404 || view.error.status === 400);
    return (
      <Stack>
        {crumbs}
        {missing ? (
          <EmptyState
            title="No such customer"
            icon={<IconUserQuestion size={24} />}
            action={
              <Button component={Link} to="/customers" variant="light">
                Back to customers
              </Button>
            }
          >
            The customer may have been merged into another one, or you may not serve any of their divisions.
          </EmptyState>
        ) : (
          <ErrorState error={view.error} title="This customer could not be loaded" onRetry={() => view.refetch()} />
        )}
      </Stack>
    );
  }
  if (view.isPending) {
    return (
      <Stack role="status" aria-label="Loading customer">
        {crumbs}
        <Skeleton h={36} w={320} />
        <Skeleton h={220} />
        <Skeleton h={160} />
      </Stack>
    );
  }

  const { customer: c, sourceRecordsByDivision, holdings, insights, timeline, elsewhere, economics } = view.data;
  return (
    <Stack gap="md">
      {crumbs}
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="sm">
            <Title order={1} size="h2">
              {c.displayName}
            </Title>
            {c.status === 'retired' && <Badge color="gray">retired</Badge>}
            {c.kind === 'organisation' && <Badge variant="outline">organisation</Badge>}
          </Group>
          <Text size="sm" c="dimmed">
            {c.sourceRecordCount} division record{c.sourceRecordCount === 1 ? '' : 's'} · added to Rapport {formatDate(c.createdAt)}
          </Text>
        </div>
        <Group gap={6}>
          {c.divisionIds.map((d) => (
            <DivisionBadge key={d} id={d} directory={directory} size="md" />
          ))}
          <UndoLastMerge customerId={c.id} groups={sourceRecordsByDivision} />
        </Group>
      </Group>

      <InsightsPanel insights={insights} />
      <EconomicsCard economics={economics} />

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <ProfileCard customer={c} groups={sourceRecordsByDivision} directory={directory} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <SourceRecordsPanel groups={sourceRecordsByDivision} hiddenElsewhere={elsewhere.sourceRecords} directory={directory} recordAction={splitActionFor(c)} />
        </Grid.Col>
      </Grid>
      <ServiceCard customerId={c.id} customerName={c.displayName} divisionIds={c.divisionIds} directory={directory} />
      <ProductsPanel holdings={holdings} hiddenElsewhere={elsewhere.holdings} directory={directory} />
      <CustomerSalesCard customerId={c.id} />
      <InteractionTimeline customerId={c.id} divisionIds={c.divisionIds} directory={directory} firstPage={timeline} />
      <CustomerHistoryPanel customerId={c.id} groups={sourceRecordsByDivision} />
    </Stack>
  );
}
