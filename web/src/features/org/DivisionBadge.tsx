import { Badge } from '@mantine/core';
import type { DivisionDirectory } from './divisions';

export function DivisionBadge({ id, directory, size = 'sm' }: { id: string; directory: DivisionDirectory; size?: 'xs' | 'sm' | 'md' }) {
  return (
    <Badge variant="light" color={directory.colour(id)} size={size} radius="sm" tt="none">
      {directory.name(id)}
    </Badge>
  );
}
