import { Anchor } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useCustomerName } from '../queries';

/** A link to the customer's page, named once the name has loaded. */
export function CustomerLink({ id, path }: { id: string; path?: string }) {
  const name = useCustomerName(id);
  return (
    <Anchor component={Link} to={path ?? `/customers/${id}`} size="sm">
      {name.data ?? (name.isError ? 'Customer' : '…')}
    </Anchor>
  );
}
