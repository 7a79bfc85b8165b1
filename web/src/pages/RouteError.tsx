import { Button, Container, Stack } from '@mantine/core';
import { isRouteErrorResponse, useRouteError } from 'react-router-dom';
import { ErrorState } from '../ui/states';

/** Last resort for a page that threw while rendering or failed to load its code (say, after a deploy). */
export function RouteError() {
  const error = useRouteError();
  const shown = isRouteErrorResponse(error) ? new Error(`${error.status} ${error.statusText}`) : error;
  return (
    <Container size="sm" py="xl">
      <Stack>
        <ErrorState error={shown} title="This page could not be shown" />
        <Button variant="light" onClick={() => window.location.reload()}>
          Reload the page
        </Button>
      </Stack>
    </Container>
  );
}
