import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { Badge, Box, Group, Kbd, Loader, Modal, ScrollArea, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue, useDisclosure, useHotkeys, useOs } from '@mantine/hooks';
import { IconFileDescription, IconSearch, IconUser } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import { ErrorState } from '../../ui/states';
import { useDivisions } from '../org/divisions';
import { DivisionBadge } from '../org/DivisionBadge';
import { MIN_SEARCH_LENGTH, useGlobalSearch, type SearchHit } from './useGlobalSearch';
import classes from './GlobalSearch.module.css';

/** The header's search box and its Ctrl/Cmd+K dialog over customers and source records. */
export function GlobalSearch() {
  const [opened, { open, close }] = useDisclosure(false);
  const os = useOs();
  const mod = os === 'macos' || os === 'ios' ? '⌘' : 'Ctrl';
  // Also from inside text fields: the shortcut is how people reach search from anywhere.
  useHotkeys([['mod+K', open]], []);
  // "/" too, as in many web apps, but only outside text fields, where it is a character.
  useHotkeys([['slash', open]]);

  return (
    <>
      <UnstyledButton className={classes.trigger} onClick={open} aria-label="Search customers and records" aria-keyshortcuts="Control+K Meta+K /">
        <Group gap="xs" wrap="nowrap" justify="space-between">
          <Group gap={8} wrap="nowrap">
            <IconSearch size={16} />
            <Text size="sm" c="dimmed" visibleFrom="xs">
              Search customers and records
            </Text>
          </Group>
          <Group gap={2} wrap="nowrap" visibleFrom="sm">
            <Kbd size="xs">{mod}</Kbd>
            <Kbd size="xs">K</Kbd>
          </Group>
        </Group>
      </UnstyledButton>
      <Modal opened={opened} onClose={close} title="Search" size="lg" yOffset="10vh" aria-label="Search customers and source records">
        {opened && <SearchPanel onDone={close} />}
      </Modal>
    </>
  );
}

function SearchPanel({ onDone }: { onDone(): void }) {
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text, 200);
  const search = useGlobalSearch(debounced);
  const { directory } = useDivisions();
  const [active, setActive] = useState(0);
  const navigate = useNavigate();
  const listId = useId();
  const optionId = (i: number) => `${listId}-opt-${i}`;

  useEffect(() => setActive(0), [debounced]);

  const choose = (hit: SearchHit | undefined) => {
    if (!hit) return;
    if (hit.kind === 'customer') navigate(`/customers/${hit.id}`);
    else if (hit.record.customerId) navigate(`/customers/${hit.record.customerId}#record-${hit.id}`);
    else return;
    onDone();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!search.hits.length) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i) => (i + 1) % search.hits.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => (i - 1 + search.hits.length) % search.hits.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(search.hits[active]);
    }
  };

  const customers = search.hits.filter((h) => h.kind === 'customer');
  const records = search.hits.filter((h) => h.kind === 'record');
  const showList = search.enabled && search.hits.length > 0;

  return (
    <Stack gap="sm">
      <TextInput
        data-autofocus
        placeholder="Type a name, e.g. Bill Jackson"
        aria-label="Search text"
        leftSection={<IconSearch size={16} />}
        rightSection={search.loading ? <Loader size="xs" /> : null}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList ? optionId(active) : undefined}
      />
      {search.error ? (
        <ErrorState error={search.error} title="Search failed" />
      ) : !search.enabled ? (
        <Text size="sm" c="dimmed">
          Type at least {MIN_SEARCH_LENGTH} letters. Use ↑ ↓ to move and Enter to open.
        </Text>
      ) : search.settled && !search.hits.length ? (
        <Text size="sm" c="dimmed" role="status">
          No customer or record matches “{debounced.trim()}”.
        </Text>
      ) : (
        <ScrollArea.Autosize mah="55vh">
          <Box id={listId} role="listbox" aria-label="Search results">
            {customers.length > 0 && <GroupLabel>Customers</GroupLabel>}
            {customers.map((hit, i) => (
              <Option key={hit.id} id={optionId(i)} active={active === i} onHover={() => setActive(i)} onChoose={() => choose(hit)}>
                <HitLine hit={hit} directory={directory} />
              </Option>
            ))}
            {records.length > 0 && <GroupLabel>Source records</GroupLabel>}
            {records.map((hit, j) => {
              const i = customers.length + j;
              return (
                <Option key={hit.id} id={optionId(i)} active={active === i} disabled={hit.kind === 'record' && !hit.record.customerId} onHover={() => setActive(i)} onChoose={() => choose(hit)}>
                  <HitLine hit={hit} directory={directory} />
                </Option>
              );
            })}
          </Box>
        </ScrollArea.Autosize>
      )}
    </Stack>
  );
}

function GroupLabel({ children }: { children: string }) {
  return (
    <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="xs" pt="xs" pb={4} role="presentation">
      {children}
    </Text>
  );
}

function Option({ id, active, disabled, onHover, onChoose, children }: { id: string; active: boolean; disabled?: boolean; onHover(): void; onChoose(): void; children: React.ReactNode }) {
  return (
    <div
      id={id}
      role="option"
      aria-selected={active}
      aria-disabled={disabled || undefined}
      className={classes.option}
      data-active={active || undefined}
      data-disabled={disabled || undefined}
      onMouseMove={onHover}
      onClick={onChoose}
    >
      {children}
    </div>
  );
}

function HitLine({ hit, directory }: { hit: SearchHit; directory: ReturnType<typeof useDivisions>['directory'] }) {
  if (hit.kind === 'customer') {
    const c = hit.customer;
    return (
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Group gap="sm" wrap="nowrap" miw={0}>
          <IconUser size={18} aria-hidden />
          <Box miw={0}>
            <Text size="sm" fw={600} truncate>
              {c.displayName}
            </Text>
            <Text size="xs" c="dimmed" truncate>
              {[c.email, c.locality, c.postcode].filter(Boolean).join(' · ') || 'No contact details'}
            </Text>
          </Box>
        </Group>
        <Group gap={4} wrap="nowrap">
          {c.divisionIds.slice(0, 3).map((d) => (
            <DivisionBadge key={d} id={d} directory={directory} size="xs" />
          ))}
        </Group>
      </Group>
    );
  }
  const r = hit.record;
  const name = r.fullName ?? ([r.givenName, r.familyName].filter(Boolean).join(' ') || r.externalId);
  return (
    <Group justify="space-between" wrap="nowrap" gap="sm">
      <Group gap="sm" wrap="nowrap" miw={0}>
        <IconFileDescription size={18} aria-hidden />
        <Box miw={0}>
          <Text size="sm" fw={500} truncate>
            {name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {r.sourceCode} · {r.externalId}
            {r.customerId ? '' : ' · not linked to a customer yet'}
          </Text>
        </Box>
      </Group>
      <Group gap={4} wrap="nowrap">
        <DivisionBadge id={r.divisionId} directory={directory} size="xs" />
        {!r.customerId && (
          <Badge size="xs" variant="outline" color="gray">
            unlinked
          </Badge>
        )}
      </Group>
    </Group>
  );
}
