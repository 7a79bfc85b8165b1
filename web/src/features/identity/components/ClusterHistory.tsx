import { useState } from 'react';
import { Anchor, Button, Group, Modal, Paper, Stack, Text, TextInput, Timeline, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconArrowsJoin2, IconArrowsSplit2, IconHistory, IconPlus, IconUserOff } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useSession } from '../../auth/session';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import { formatDateTime } from '../../../ui/format';
import { actorUserId, eventSentence } from '../history';
import { useClusterHistory, useStaffName, useUnmerge, type ClusterEvent } from '../queries';

const ICONS: Record<string, typeof IconPlus> = {
  created: IconPlus,
  merged: IconArrowsJoin2,
  split: IconArrowsSplit2,
  retired: IconUserOff,
  'records-added': IconArrowsJoin2,
  'records-removed': IconArrowsSplit2,
};

function Who({ actor }: { actor: string }) {
  const { user } = useSession();
  const id = actorUserId(actor);
  const isMe = id !== null && id === user?.id;
  const name = useStaffName(isMe ? null : id);
  if (id === null) return <>Rapport (resolution)</>;
  if (isMe) return <>{user?.displayName ?? 'you'} (you)</>;
  return <>{name.data ?? 'a member of staff'}</>;
}

function EventItem({ e, recordLabels }: { e: ClusterEvent; recordLabels: Map<string, string> }) {
  const { text, other } = eventSentence(e);
  const named = e.source_record_ids.map((id) => recordLabels.get(id)).filter(Boolean);
  return (
    <>
      <Text size="sm">
        {text}
        {other && e.other_customer_id && (
          <>
            {' '}
            <Anchor component={Link} to={`/customers/${e.other_customer_id}`} size="sm">
              {other}
            </Anchor>
          </>
        )}
      </Text>
      {named.length > 0 && (
        <Text size="xs" c="dimmed">
          {named.join(', ')}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {formatDateTime(e.created_at)} · <Who actor={e.actor} />
      </Text>
      {e.reason && (
        <Text size="xs" mt={2}>
          Why: {e.reason}
        </Text>
      )}
    </>
  );
}

export function UndoMerge({ customerId, merge, recordLabels }: { customerId: string; merge: ClusterEvent; recordLabels: Map<string, string> }) {
  const [opened, modal] = useDisclosure(false);
  const [reason, setReason] = useState('');
  const unmerge = useUnmerge(customerId, (change) => {
    modal.close();
    notifications.show({
      color: 'teal',
      title: 'Merge undone',
      message: `${change.movedRecords ?? merge.source_record_ids.length} record${(change.movedRecords ?? 0) === 1 ? '' : 's'} went back to ${change.restored ? 'the customer they came from' : 'a new customer'}.`,
    });
  });
  const names = merge.source_record_ids.map((id) => recordLabels.get(id)).filter(Boolean);
  return (
    <>
      <Button size="compact-sm" variant="light" color="orange" leftSection={<IconArrowBackUp size={16} />} onClick={modal.open}>
        Undo last merge
      </Button>
      <Modal opened={opened} onClose={modal.close} title="Undo the last merge?" centered>
        <Stack gap="sm">
          <Text size="sm">
            On {formatDateTime(merge.created_at)}, {merge.source_record_ids.length} record{merge.source_record_ids.length === 1 ? ' was' : 's were'} merged into this customer
            {names.length ? ` (${names.join(', ')})` : ''}. Undoing it moves {merge.source_record_ids.length === 1 ? 'it' : 'them'} back to the customer{' '}
            {merge.source_record_ids.length === 1 ? 'it' : 'they'} came from, with that customer’s original id, and keeps them apart on later runs.
          </Text>
          <TextInput label="Reason (optional)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} data-autofocus />
          {unmerge.isError && <ErrorState error={unmerge.error} title="The merge was not undone" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={modal.close}>
              Cancel
            </Button>
            <Button
              color="orange"
              loading={unmerge.isPending}
              onClick={() => unmerge.mutate({ reason })}
            >
              Undo the merge
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** Every change to this customer's set of records, newest first: who or what made it, when and why. */
export function ClusterHistory({ customerId, recordLabels }: { customerId: string; recordLabels: Map<string, string> }) {
  const history = useClusterHistory(customerId);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="history-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="history-title">
          History
        </Title>
        {history.isPending ? (
          <LoadingState label="Loading the history…" minHeight={60} />
        ) : history.isError ? (
          <ErrorState error={history.error} title="The history could not be loaded" onRetry={() => history.refetch()} />
        ) : history.data.length === 0 ? (
          <EmptyState title="No changes recorded" icon={<IconHistory size={24} />}>
            This customer’s records have not been merged, split or re-resolved since it was created.
          </EmptyState>
        ) : (
          <Timeline bulletSize={24} lineWidth={2} role="list" aria-label="Changes, newest first">
            {history.data.map((e) => {
              const Icon = ICONS[e.event] ?? IconHistory;
              return (
                <Timeline.Item key={e.id} role="listitem" bullet={<Icon size={14} />}>
                  <EventItem e={e} recordLabels={recordLabels} />
                </Timeline.Item>
              );
            })}
          </Timeline>
        )}
      </Stack>
    </Paper>
  );
}
