import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useSession } from '../features/auth/session';
import { describeError } from '../ui/states';

/** Only same-app paths: an open redirect through ?next= would make a convincing phishing link. */
function safeNext(next: string | null) {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/customers';
}

export function SignInPage() {
  const { user, signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (user) return <Navigate to={safeNext(params.get('next'))} replace />;

  const fieldErrors = error instanceof ApiError ? error.fieldErrors : {};
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };
  const general = error && !Object.keys(fieldErrors).length ? describeError(error) : null;

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-light)">
      <Paper component="main" withBorder shadow="sm" p="xl" w="100%" maw={400}>
        <form onSubmit={onSubmit} noValidate aria-labelledby="sign-in-title">
          <Stack gap="md">
            <div>
              <Title order={1} size="h2" id="sign-in-title">
                Sign in to Rapport
              </Title>
              <Text c="dimmed" size="sm" mt={4}>
                One customer, one view across every division.
              </Text>
            </div>
            {general && (
              <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={general.title} role="alert">
                {general.detail}
              </Alert>
            )}
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={fieldErrors.email}
              data-autofocus
              autoFocus
            />
            <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={fieldErrors.password} />
            <Button type="submit" loading={pending} fullWidth>
              Sign in
            </Button>
            <Text size="xs" c="dimmed">
              No account? Ask an administrator. The API reference is at{' '}
              <Anchor href="/api/v1/docs" size="xs">
                /api/v1/docs
              </Anchor>
              .
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
