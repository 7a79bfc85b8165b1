import type { ReactNode } from 'react';
import { Alert, Button, Center, Group, Loader, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconInbox } from '@tabler/icons-react';
import { ApiError } from '../api/client';

/** What a person should read for any thrown value: the problem's detail, never a stack. */
export function describeError(error: unknown): { title: string; detail: string } {
  if (error instanceof ApiError) {
    const title = error.status === 0 ? 'Cannot reach the server' : error.problem.title;
    return { title, detail: sentence(error.problem.detail ?? `The server answered ${error.status}.`) };
  }
  if (error instanceof Error) return { title: 'Something went wrong', detail: error.message };
  return { title: 'Something went wrong', detail: String(error) };
}

/** Server details are written as clauses ("email or password is wrong"); shown alone they read as sentences. */
function sentence(text: string) {
  const t = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

export function LoadingState({ label = 'Loading…', minHeight = 160 }: { label?: string; minHeight?: number }) {
  return (
    <Center mih={minHeight} role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" />
        <Text c="dimmed" size="sm">
          {label}
        </Text>
      </Group>
    </Center>
  );
}

export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const described = describeError(error);
  const fieldErrors = error instanceof ApiError ? error.problem.errors ?? [] : [];
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={title ?? described.title} role="alert">
      <Stack gap={6}>
        <Text size="sm">{described.detail}</Text>
        {fieldErrors.map((issue) => (
          <Text size="xs" key={issue.path + issue.message}>
            {issue.path}: {issue.message}
          </Text>
        ))}
        {onRetry && (
          <Group>
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              Try again
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

export function EmptyState({ title, children, icon, action }: { title: string; children?: ReactNode; icon?: ReactNode; action?: ReactNode }) {
  return (
    <Center py="xl">
      <Stack align="center" gap="xs" maw={460} ta="center">
        <ThemeIcon size={44} radius="xl" variant="light" color="gray" aria-hidden>
          {icon ?? <IconInbox size={24} />}
        </ThemeIcon>
        <Title order={3} size="h4">
          {title}
        </Title>
        {children && (
          <Text c="dimmed" size="sm">
            {children}
          </Text>
        )}
        {action}
      </Stack>
    </Center>
  );
}
