import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Division } from '../../api/types';

const PALETTE = ['blue', 'grape', 'teal', 'orange', 'pink', 'cyan', 'lime', 'violet', 'yellow', 'red'] as const;

export interface DivisionDirectory {
  list: Division[];
  name(id: string): string;
  colour(id: string): (typeof PALETTE)[number];
}

/** Divisions rarely change in a session: one fetch serves every badge and filter. */
export function useDivisions() {
  const query = useQuery({
    queryKey: ['divisions'],
    queryFn: ({ signal }) => api.get('/api/v1/divisions', { signal }).then((r) => r.items),
    staleTime: 5 * 60_000,
  });
  const directory = useMemo<DivisionDirectory>(() => {
    const list = query.data ?? [];
    // Colour by position in the code-sorted list, so a division keeps its colour on every page.
    const byCode = [...list].sort((a, b) => a.code.localeCompare(b.code));
    const index = new Map(byCode.map((d, i) => [d.id, i]));
    const names = new Map(list.map((d) => [d.id, d.name]));
    return {
      list,
      name: (id) => names.get(id) ?? 'Unknown division',
      colour: (id) => PALETTE[(index.get(id) ?? 0) % PALETTE.length],
    };
  }, [query.data]);
  return { ...query, directory };
}
