import { Button } from '@mantine/core';
import { IconMapOff } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { EmptyState } from '../ui/states';

export function NotFoundPage() {
  return (
    <EmptyState
      title="No such page"
      icon={<IconMapOff size={24} />}
      action={
        <Button component={Link} to="/customers" variant="light">
          Go to customers
        </Button>
      }
    >
      The address may be mistyped, or the page may have moved.
    </EmptyState>
  );
}
