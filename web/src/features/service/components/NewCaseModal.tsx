import { useState } from 'react';
import { Button, Group, Modal, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { ApiError } from '../../../api/client';
import { humanise } from '../../../ui/format';
import { ErrorState } from '../../../ui/states';
import type { DivisionDirectory } from '../../org/divisions';
import { CASE_KINDS, PRIORITIES, TOUCH_POINTS, useOpenCase, type CaseDetail, type CaseKind, type NewCase, type Priority } from '../queries';

/** "Open a case" on a customer: the server picks the SLA policy and routes it; the caller shows the result. */
export function NewCaseButton({ customerId, customerName, divisionIds, directory, onOpened }: { customerId: string; customerName: string; divisionIds: string[]; directory: DivisionDirectory; onOpened: (c: CaseDetail) => void }) {
  const [opened, modal] = useDisclosure(false);
  const open = useOpenCase();
  const [kind, setKind] = useState<CaseKind>('request');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<Priority | null>(null);
  const [touchPoint, setTouchPoint] = useState<NewCase['touchPoint']>('call_centre');
  const [divisionId, setDivisionId] = useState<string | null>(divisionIds.length === 1 ? divisionIds[0] : null);
  const fieldErrors = open.error instanceof ApiError ? open.error.fieldErrors : {};

  return (
    <>
      <Button leftSection={<IconPlus size={16} />} variant="light" onClick={modal.open}>
        Open a case
      </Button>
      <Modal opened={opened} onClose={modal.close} title={`Open a case for ${customerName}`} centered size="lg">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            open.mutate(
              { customerId, kind, subject: subject.trim(), description: description.trim() || null, priority: priority ?? undefined, touchPoint, divisionId: divisionId ?? undefined },
              {
                onSuccess: (c) => {
                  modal.close();
                  setSubject('');
                  setDescription('');
                  open.reset();
                  onOpened(c);
                },
              },
            );
          }}
        >
          <Stack gap="sm">
            <Group grow>
              <Select label="Kind" data={CASE_KINDS.map((k) => ({ value: k, label: humanise(k) }))} value={kind} onChange={(v) => v && setKind(v as CaseKind)} allowDeselect={false} />
              <Select label="Priority" placeholder={kind === 'complaint' ? 'High (default for complaints)' : 'Normal (default)'} clearable data={PRIORITIES.map((p) => ({ value: p, label: humanise(p) }))} value={priority} onChange={(v) => setPriority(v as Priority | null)} />
            </Group>
            <TextInput label="Subject" required value={subject} onChange={(e) => setSubject(e.currentTarget.value)} error={fieldErrors.subject} data-autofocus />
            <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} error={fieldErrors.description} />
            <Group grow>
              <Select label="Came in through" data={TOUCH_POINTS.map((t) => ({ value: t, label: humanise(t) }))} value={touchPoint} onChange={(v) => v && setTouchPoint(v as NewCase['touchPoint'])} allowDeselect={false} />
              <Select
                label="Division"
                placeholder={divisionIds.length > 1 ? 'Choose the division' : undefined}
                required={divisionIds.length > 1}
                data={divisionIds.map((d) => ({ value: d, label: directory.name(d) }))}
                value={divisionId}
                onChange={setDivisionId}
                error={fieldErrors.divisionId}
              />
            </Group>
            {open.isError && !Object.keys(fieldErrors).length && <ErrorState error={open.error} title="The case was not opened" />}
            <Group justify="flex-end">
              <Button variant="subtle" onClick={modal.close}>
                Cancel
              </Button>
              <Button type="submit" loading={open.isPending} disabled={!subject.trim() || (divisionIds.length > 1 && !divisionId)}>
                Open case
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
