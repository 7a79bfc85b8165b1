import type { ReactNode } from 'react';
import { Center, Container } from '@mantine/core';
import { Navigate, useLocation } from 'react-router-dom';
import { ErrorState, LoadingState } from '../../ui/states';
import { useSession } from './session';

export function RequireSession({ children }: { children: ReactNode }) {
  const { user, checkError, retryCheck } = useSession();
  const location = useLocation();
  if (checkError) {
    return (
      <Container size="sm" py="xl">
        <ErrorState error={checkError} title="Cannot check your session" onRetry={retryCheck} />
      </Container>
    );
  }
  if (user === undefined) {
    return (
      <Center h="100vh">
        <LoadingState label="Checking your session…" />
      </Center>
    );
  }
  if (user === null) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return children;
}
