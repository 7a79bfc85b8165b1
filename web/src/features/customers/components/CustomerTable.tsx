import { useEffect, useRef } from 'react';
import { Anchor, Box, Group, Loader, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Link, useNavigate } from 'react-router-dom';
import type { Customer } from '../../../api/types';
import type { DivisionDirectory } from '../../org/divisions';
import { DivisionBadge } from '../../org/DivisionBadge';
import { formatDate } from '../../../ui/format';
import classes from './CustomerTable.module.css';

const ROW_HEIGHT = 52;
const COLUMNS = ['Name', 'Divisions', 'Email', 'Where', 'Records', 'Added'] as const;

interface Props {
  customers: Customer[];
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore(): void;
  directory: DivisionDirectory;
  label: string;
  /** Changes when filters or sort change: a new list starts at its top. */
  resetKey: string;
}

/**
 * Only the rows in view are in the DOM, so a list of 100,000 customers scrolls as smoothly as one of 50.
 * The next page is asked for when the last loaded row scrolls into view.
 */
export function CustomerTable({ customers, hasMore, loadingMore, onLoadMore, directory, label, resetKey }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const virtualizer = useVirtualizer({
    count: customers.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [resetKey]);

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= customers.length - 1) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, customers.length, onLoadMore]);

  return (
    <Box role="table" aria-label={label} aria-rowcount={hasMore ? -1 : customers.length + 1} className={classes.table}>
      <div role="rowgroup">
        <div role="row" aria-rowindex={1} className={`${classes.row} ${classes.head}`}>
          {COLUMNS.map((c) => (
            <div role="columnheader" key={c} className={classes.cell}>
              {c}
            </div>
          ))}
        </div>
      </div>
      <div ref={scrollRef} className={classes.scroller} role="rowgroup" tabIndex={-1}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const c = customers[item.index];
            const style = { transform: `translateY(${item.start}px)`, height: item.size } as const;
            if (!c) {
              return (
                <div key="loader" role="row" aria-rowindex={item.index + 2} className={`${classes.row} ${classes.body}`} style={style}>
                  <div role="cell" className={classes.cell}>
                    <Group gap="xs">
                      <Loader size="xs" />
                      <Text size="sm" c="dimmed">
                        Loading more customers…
                      </Text>
                    </Group>
                  </div>
                </div>
              );
            }
            return (
              <div
                key={c.id}
                role="row"
                aria-rowindex={item.index + 2}
                className={`${classes.row} ${classes.body}`}
                style={style}
                onClick={(e) => {
                  if (!(e.target as HTMLElement).closest('a')) navigate(`/customers/${c.id}`);
                }}
              >
                <div role="cell" className={classes.cell}>
                  <Anchor component={Link} to={`/customers/${c.id}`} fw={600} size="sm" className={classes.truncate}>
                    {c.displayName}
                  </Anchor>
                  {c.kind === 'organisation' && (
                    <Text span size="xs" c="dimmed" ml={6}>
                      organisation
                    </Text>
                  )}
                </div>
                <div role="cell" className={classes.cell}>
                  <Group gap={4} className={classes.badges}>
                    {c.divisionIds.length ? (
                      <>
                        {/* Two lines of badges fit a row; beyond four, a count keeps the row height fixed. */}
                        {c.divisionIds.slice(0, c.divisionIds.length > 4 ? 3 : 4).map((d) => (
                          <DivisionBadge key={d} id={d} directory={directory} size="xs" />
                        ))}
                        {c.divisionIds.length > 4 && (
                          <Text size="xs" c="dimmed" title={c.divisionIds.slice(3).map((d) => directory.name(d)).join(', ')}>
                            +{c.divisionIds.length - 3} more
                          </Text>
                        )}
                      </>
                    ) : (
                      <Text size="xs" c="dimmed">
                        none
                      </Text>
                    )}
                  </Group>
                </div>
                <div role="cell" className={classes.cell}>
                  <Text size="sm" className={classes.truncate}>
                    {c.email ?? '—'}
                  </Text>
                </div>
                <div role="cell" className={classes.cell}>
                  <Text size="sm" className={classes.truncate}>
                    {[c.locality, c.postcode].filter(Boolean).join(' ') || '—'}
                  </Text>
                </div>
                <div role="cell" className={classes.cell}>
                  <Text size="sm">{c.sourceRecordCount}</Text>
                </div>
                <div role="cell" className={classes.cell}>
                  <Text size="sm" c="dimmed">
                    {formatDate(c.createdAt)}
                  </Text>
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </Box>
  );
}
