import { useEffect, useState } from 'react';
import { Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch, IconUsers } from '@tabler/icons-react';
import { useSearchParams } from 'react-router-dom';
import type { CustomerSort } from '../api/types';
import { useCustomerList } from '../features/customers/queries';
import { CustomerTable } from '../features/customers/components/CustomerTable';
import { useDivisions } from '../features/org/divisions';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { formatCount } from '../ui/format';

const SORTS: { value: CustomerSort; label: string }[] = [
  { value: 'displayName', label: 'Name, A to Z' },
  { value: '-displayName', label: 'Name, Z to A' },
  { value: '-createdAt', label: 'Newest first' },
  { value: 'createdAt', label: 'Oldest first' },
  { value: '-updatedAt', label: 'Recently changed' },
];

/** Filters live in the address, so a filtered list can be bookmarked, shared and reached with Back. */
export function CustomersPage() {
  const [params, setParams] = useSearchParams();
  const sort = (SORTS.find((s) => s.value === params.get('sort'))?.value ?? 'displayName') as CustomerSort;
  const divisionId = params.get('division');
  const [text, setText] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(text.trim(), 250);
  const { directory, isError: divisionsFailed } = useDivisions();

  useEffect(() => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (q) next.set('q', q);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  }, [q, setParams]);

  const setParam = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const list = useCustomerList({ q, divisionId, sort });
  const customers = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(q || divisionId);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            Customers
          </Title>
          <Text c="dimmed" size="sm">
            Golden customers: each one is every division’s records of the same person or organisation.
          </Text>
        </div>
      </Group>

      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label="Name"
          placeholder="Filter by name"
          leftSection={<IconSearch size={16} />}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          w={260}
        />
        <Select
          label="Division"
          placeholder={divisionsFailed ? 'Divisions unavailable' : 'All divisions'}
          data={directory.list.map((d) => ({ value: d.id, label: d.name }))}
          value={divisionId}
          onChange={(v) => setParam('division', v)}
          clearable
          w={220}
          disabled={divisionsFailed}
        />
        <Select
          label="Sort"
          data={SORTS}
          value={sort}
          onChange={(v) => setParam('sort', v && v !== 'displayName' ? v : null)}
          allowDeselect={false}
          w={200}
          disabled={Boolean(q)}
          description={q ? 'Name matches are ranked by similarity' : undefined}
        />
        {filtered && (
          <Button
            variant="subtle"
            onClick={() => {
              setText('');
              setParams({}, { replace: true });
            }}
          >
            Clear filters
          </Button>
        )}
      </Group>

      {list.isPending ? (
        <LoadingState label="Loading customers…" />
      ) : list.isError && !customers.length ? (
        <ErrorState error={list.error} title="Customers could not be loaded" onRetry={() => list.refetch()} />
      ) : customers.length === 0 ? (
        filtered ? (
          <EmptyState title="No customer matches these filters" icon={<IconSearch size={24} />}>
            Try another spelling or fewer filters. Records not yet resolved into customers are found with the search (Ctrl K).
          </EmptyState>
        ) : (
          <EmptyState title="No customers yet" icon={<IconUsers size={24} />}>
            Customers appear here once division records are imported and resolved into golden customers. Try the demo with{' '}
            <code>rapport serve --demo</code>.
          </EmptyState>
        )
      ) : (
        <>
          <Text size="sm" c="dimmed" role="status" aria-live="polite">
            {q
              ? `${formatCount(customers.length)} best matches for “${q}”`
              : `${formatCount(customers.length)} customers loaded${list.hasNextPage ? '; more load as you scroll' : ''}`}
            {list.isFetching && !list.isFetchingNextPage ? ' · updating…' : ''}
          </Text>
          {list.isFetchNextPageError && <ErrorState error={list.error} title="The next page could not be loaded" onRetry={() => list.fetchNextPage()} />}
          <CustomerTable
            customers={customers}
            hasMore={list.hasNextPage && !list.isFetchNextPageError}
            loadingMore={list.isFetchingNextPage}
            onLoadMore={() => void list.fetchNextPage({ cancelRefetch: false })}
            directory={directory}
            label="Customers"
            resetKey={`${q}|${divisionId ?? ''}|${sort}`}
          />
        </>
      )}
    </Stack>
  );
}
