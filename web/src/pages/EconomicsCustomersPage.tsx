import { useEffect, useRef } from 'react';
import { Anchor, Badge, Box, Breadcrumbs, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconUsers } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Link, useSearchParams } from 'react-router-dom';
import { dispositionColor, dispositionLabel, percent, tierLabel } from '../features/economics/labels';
import { useEconomicsCurrency, useScoredCustomers, type ScoredFilters } from '../features/economics/queries';
import classes from '../features/economics/ScoredTable.module.css';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { formatCount, formatMoney } from '../ui/format';

const ROW_HEIGHT = 44;
const COLUMNS = ['Name', 'Lifetime value', 'P(alive)', 'Profit', 'Tier', 'Disposition', 'RFM segment'];

/** The customers behind one count on the Economics page (a tier, disposition or RFM segment), most valuable first. */
export function EconomicsCustomersPage() {
  const [params] = useSearchParams();
  const filters: ScoredFilters = { tier: params.get('tier'), disposition: params.get('disposition'), segment: params.get('segment') };
  const currency = useEconomicsCurrency();
  const list = useScoredCustomers(filters);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const what = [filters.tier && `tier ${tierLabel(filters.tier)}`, filters.disposition && `disposition ${dispositionLabel(filters.disposition)}`, filters.segment && `RFM segment ${filters.segment}`]
    .filter(Boolean)
    .join(', ');
  const title = what ? `Customers in ${what}` : 'Scored customers';

  const scrollRef = useRef<HTMLDivElement>(null);
  const hasMore = Boolean(list.hasNextPage) && !list.isFetchNextPageError;
  const virtualizer = useVirtualizer({ count: rows.length + (hasMore ? 1 : 0), getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const { fetchNextPage, isFetchingNextPage } = list;
  useEffect(() => {
    if (hasMore && !isFetchingNextPage && lastIndex >= rows.length - 1) void fetchNextPage({ cancelRefetch: false });
  }, [hasMore, isFetchingNextPage, lastIndex, rows.length, fetchNextPage]);

  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/economics" size="sm">
          Economics
        </Anchor>
        <Text size="sm">{what || 'All scored customers'}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            {title}
          </Title>
          <Text size="sm" c="dimmed">
            Most valuable first, by lifetime value from the latest scoring run.
          </Text>
        </div>
        {what && (
          <Button component={Link} to="/economics/customers" variant="subtle">
            All scored customers
          </Button>
        )}
      </Group>
      {list.isPending ? (
        <LoadingState label="Loading customers…" />
      ) : list.isError && !rows.length ? (
        <ErrorState error={list.error} title="Customers could not be loaded" onRetry={() => list.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="No customer here" icon={<IconUsers size={24} />}>
          No scored customer you may see is in {what || 'the book'}. Scores change with every run.
        </EmptyState>
      ) : (
        <>
          <Text size="sm" c="dimmed" role="status" aria-live="polite">
            {formatCount(rows.length)} customers loaded{hasMore ? '; more load as you scroll' : ''}
          </Text>
          {list.isFetchNextPageError && <ErrorState error={list.error} title="The next page could not be loaded" onRetry={() => list.fetchNextPage()} />}
          <Box role="table" aria-label={title} aria-rowcount={hasMore ? -1 : rows.length + 1} className={classes.table}>
            <div role="rowgroup">
              <div role="row" className={`${classes.row} ${classes.head}`}>
                {COLUMNS.map((c, i) => (
                  <div role="columnheader" key={c} className={`${classes.cell} ${i > 0 && i < 4 ? classes.num : ''}`}>
                    {c}
                  </div>
                ))}
              </div>
            </div>
            <div ref={scrollRef} className={classes.scroller} role="rowgroup" tabIndex={-1}>
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {items.map((item) => {
                  const c = rows[item.index];
                  const style = { transform: `translateY(${item.start}px)`, height: item.size } as const;
                  if (!c)
                    return (
                      <div key="loader" role="row" className={`${classes.row} ${classes.body}`} style={style}>
                        <div role="cell" className={classes.cell}>
                          <Group gap="xs">
                            <Loader size="xs" />
                            <Text size="sm" c="dimmed">
                              Loading more…
                            </Text>
                          </Group>
                        </div>
                      </div>
                    );
                  return (
                    <div key={c.customerId} role="row" aria-rowindex={item.index + 2} className={`${classes.row} ${classes.body}`} style={style}>
                      <div role="cell" className={classes.cell}>
                        <Anchor component={Link} to={`/customers/${c.customerId}`} fw={600} size="sm">
                          {c.displayName}
                        </Anchor>
                      </div>
                      <div role="cell" className={`${classes.cell} ${classes.num}`}>
                        {formatMoney(c.clv, currency)}
                      </div>
                      <div role="cell" className={`${classes.cell} ${classes.num}`}>
                        {percent(c.probabilityAlive)}
                      </div>
                      <div role="cell" className={`${classes.cell} ${classes.num}`} style={c.profit < 0 ? { color: 'var(--mantine-color-red-7)' } : undefined}>
                        {formatMoney(c.profit, currency)}
                      </div>
                      <div role="cell" className={classes.cell}>
                        <Text size="sm">{tierLabel(c.tier)}</Text>
                      </div>
                      <div role="cell" className={classes.cell}>
                        <Badge variant="light" color={dispositionColor(c.disposition)}>
                          {dispositionLabel(c.disposition)}
                        </Badge>
                      </div>
                      <div role="cell" className={classes.cell}>
                        <Text size="sm" c={c.segment ? undefined : 'dimmed'}>
                          {c.segment ?? 'no purchase'}
                        </Text>
                      </div>
                    </div>
                  );
                })}
              </div>
            </div>
          </Box>
        </>
      )}
    </Stack>
  );
}
