import { useState } from 'react';
import { Anchor, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconUserMinus } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import type { RecordOf360 } from '../../../api/types';
import { ErrorState } from '../../../ui/states';
import { recordName } from '../recordComparison';
import { useSplitRecords } from '../queries';

/** "Not this person": one division record leaves the customer, confirmed first, and stays apart on later runs. */
export function SplitRecordAction({ customer, record }: { customer: { id: string; displayName: string }; record: RecordOf360 }) {
  const [opened, modal] = useDisclosure(false);
  const [reason, setReason] = useState('');
  const navigate = useNavigate();
  const name = recordName(record);
  const label = `${record.sourceCode} · ${record.externalId}`;
  const split = useSplitRecords(customer.id, (change) => {
    modal.close();
    setReason('');
    const target = change.newCustomerId;
    notifications.show({
      color: 'teal',
      title: change.restored ? 'Merge undone' : 'Split out',
      message: (
        <>
          {name} ({label}) {change.restored ? 'is back with the customer it was merged from.' : 'is now a customer of its own.'}{' '}
          {target && (
            <Anchor component="button" size="sm" onClick={() => navigate(`/customers/${target}`)}>
              Open that customer
            </Anchor>
          )}
        </>
      ),
    });
  });
  const confirm = () => split.mutate({ sourceRecordIds: [record.id], reason });

  return (
    <>
      <Button size="compact-xs" variant="subtle" color="red" leftSection={<IconUserMinus size={14} />} onClick={modal.open} aria-label={`Not this person: split ${name} (${label}) out`}>
        Not this person
      </Button>
      <Modal opened={opened} onClose={modal.close} title={`Split a record out of ${customer.displayName}?`} centered>
        <Stack gap="sm">
          <Text size="sm">
            The {label} record (“{name}”) leaves {customer.displayName} and becomes a customer of its own (or returns to the customer it was merged from). Its products and
            contacts go with it. Rapport remembers the decision, so later resolution runs keep them apart.
          </Text>
          <TextInput label="Reason (optional)" description="Kept in both customers’ history" value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} data-autofocus />
          {split.isError && <ErrorState error={split.error} title="The record was not split out" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={modal.close}>
              Cancel
            </Button>
            <Button color="red" loading={split.isPending} onClick={confirm}>
              Split it out
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
