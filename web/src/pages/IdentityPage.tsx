import { Stack, Tabs, Text, Title } from '@mantine/core';
import { IconFileImport, IconScale } from '@tabler/icons-react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';

const TABS = [
  { value: 'review', label: 'Review queue', icon: IconScale },
  { value: 'import', label: 'Import records', icon: IconFileImport },
] as const;

/** The Identity section: bring division records in, and settle the matches the matcher could not. */
export function IdentityPage() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const active = TABS.find((t) => pathname.startsWith(`/identity/${t.value}`))?.value ?? 'review';
  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">
          Identity
        </Title>
        <Text c="dimmed" size="sm">
          Which division records are the same person. Resolution links the clear matches by itself; you settle the doubtful ones.
        </Text>
      </div>
      <Tabs value={active} onChange={(v) => v && navigate(`/identity/${v}`)} keepMounted={false}>
        <Tabs.List>
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} leftSection={<t.icon size={16} />}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map((t) => (
          <Tabs.Panel key={t.value} value={t.value} pt="md">
            <Outlet />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
