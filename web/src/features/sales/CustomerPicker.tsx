import { useState } from 'react';
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Customer } from '../../api/types';

/** Finds a golden customer by name on the server (a million customers never load in full). */
export function CustomerPicker({ value, onChange, error }: { value: string | null; onChange: (id: string | null) => void; error?: string }) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const found = useQuery({
    queryKey: ['customers', 'picker', q],
    placeholderData: keepPreviousData,
    queryFn: ({ signal }): Promise<Customer[]> =>
      api.get('/api/v1/customers', { query: q ? { q, limit: 20 } : { limit: 20, sort: 'displayName' }, signal }).then((r) => r.items),
  });
  const chosen = useQuery({
    queryKey: ['customer', value, 'name'],
    enabled: !!value,
    queryFn: ({ signal }) => api.get('/api/v1/customers/{id}', { path: { id: value! }, signal }),
  });
  const options = (found.data ?? []).map((c) => ({ value: c.id, label: c.displayName }));
  if (value && chosen.data && !options.some((o) => o.value === value)) options.unshift({ value, label: chosen.data.displayName });
  return (
    <Select
      label="Customer"
      placeholder="Search by name"
      searchable
      required
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      data={options}
      filter={({ options: o }) => o}
      nothingFoundMessage={found.isFetching ? 'Searching…' : 'No customer by that name'}
      error={error}
      w={320}
    />
  );
}
