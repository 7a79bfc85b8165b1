import { ActionIcon, AppShell, Avatar, Badge, Burger, Group, Menu, NavLink, Progress, Text, Tooltip, UnstyledButton, useMantineColorScheme } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconLogout, IconMoon, IconSun } from '@tabler/icons-react';
import { NavLink as RouterNavLink, Outlet, useLocation, useNavigate, useNavigation } from 'react-router-dom';
import { useSession } from '../features/auth/session';
import { GlobalSearch } from '../features/search/GlobalSearch';
import { SECTIONS } from './navigation';

export function AppLayout() {
  const [navOpen, nav] = useDisclosure(false);
  const { user, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const navigation = useNavigation();
  const { colorScheme, toggleColorScheme } = useMantineColorScheme();

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding="lg">
      <AppShell.Header>
        {navigation.state === 'loading' && <Progress value={100} animated size="xs" radius={0} pos="absolute" top={0} left={0} right={0} aria-label="Loading page" />}
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpen} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label={navOpen ? 'Close navigation' : 'Open navigation'} />
            <Text component={RouterNavLink} to="/customers" fw={750} size="lg" c="indigo" style={{ textDecoration: 'none' }}>
              Rapport
            </Text>
          </Group>
          <GlobalSearch />
          <Group gap="xs" wrap="nowrap">
            <Tooltip label={colorScheme === 'dark' ? 'Light theme' : 'Dark theme'}>
              <ActionIcon variant="subtle" color="gray" onClick={toggleColorScheme} aria-label={colorScheme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}>
                {colorScheme === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
              </ActionIcon>
            </Tooltip>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton aria-label={`Account menu for ${user?.displayName ?? ''}`}>
                  <Group gap={6} wrap="nowrap">
                    <Avatar size="sm" radius="xl" color="indigo">
                      {initials(user?.displayName ?? '?')}
                    </Avatar>
                    <Text size="sm" visibleFrom="md">
                      {user?.displayName}
                    </Text>
                    <IconChevronDown size={14} />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>
                  {user?.email} · {user?.role}
                </Menu.Label>
                <Menu.Item
                  leftSection={<IconLogout size={16} />}
                  onClick={async () => {
                    await signOut();
                    navigate('/sign-in', { replace: true });
                  }}
                >
                  Sign out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label="Sections">
        {SECTIONS.map((section) => (
          <NavLink
            key={section.path}
            component={RouterNavLink}
            to={section.path}
            label={section.label}
            leftSection={<section.icon size={18} stroke={1.6} />}
            rightSection={section.comingWith ? <Badge size="xs" variant="default">soon</Badge> : undefined}
            active={location.pathname === section.path || location.pathname.startsWith(`${section.path}/`)}
            onClick={nav.close}
          />
        ))}
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

function initials(name: string) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('');
}
