import { useState } from 'react';
import { Alert, Badge, Button, Divider, Drawer, Group, Select, Skeleton, Stack, Table, Text, Textarea, Timeline, Title } from '@mantine/core';
import { humanise, formatDateTime } from '../../../ui/format';
import { ErrorState } from '../../../ui/states';
import { useNow } from '../useNow';
import {
  NEXT_STATUS,
  ROOT_CAUSES,
  useAssignment,
  useCase,
  useCaseEvents,
  useMoveCase,
  useOverrideAssignment,
  useRespond,
  useStaff,
  type CaseDetail,
  type CaseStatus,
  type RootCause,
} from '../queries';
import { SlaTimer } from './SlaTimer';
import { CustomerLink } from './CustomerName';
import { CareEpisodes } from './CarePanel';

export const STATUS_COLOUR: Record<CaseStatus, string> = { open: 'blue', in_progress: 'cyan', waiting_on_customer: 'gray', resolved: 'green', closed: 'dark' };

/** One case: its timers, the moves the state machine allows, a reply, the routing decision and its history. */
export function CaseDrawer({ caseId, onClose }: { caseId: string | null; onClose: () => void }) {
  const detail = useCase(caseId);
  return (
    <Drawer opened={!!caseId} onClose={onClose} position="right" size="xl" title={detail.data ? detail.data.subject : 'Case'} closeButtonProps={{ 'aria-label': 'Close case' }}>
      {detail.isPending && caseId ? (
        <Stack role="status" aria-label="Loading case">
          <Skeleton h={24} />
          <Skeleton h={120} />
        </Stack>
      ) : detail.isError ? (
        <ErrorState error={detail.error} title="This case could not be loaded" onRetry={() => detail.refetch()} />
      ) : detail.data ? (
        <CaseBody c={detail.data} />
      ) : null}
    </Drawer>
  );
}

function CaseBody({ c }: { c: CaseDetail }) {
  const now = useNow();
  return (
    <Stack gap="md">
      <Group gap="xs">
        <Badge color={STATUS_COLOUR[c.status]} data-testid="case-status">
          {humanise(c.status)}
        </Badge>
        <Badge variant="outline" color={c.kind === 'complaint' ? 'red' : 'gray'}>
          {c.kind}
        </Badge>
        <Badge variant="light" color={c.priority === 'urgent' || c.priority === 'high' ? 'orange' : 'gray'}>
          {c.priority} priority
        </Badge>
        <Text size="sm">
          for <CustomerLink id={c.customerId} />
        </Text>
      </Group>
      {c.description && <Text size="sm">{c.description}</Text>}
      <Text size="xs" c="dimmed">
        Opened {formatDateTime(c.openedAt)} via {humanise(c.touchPoint)} · policy “{c.sla.name}” ({c.sla.firstResponseMinutes} min to respond, {c.sla.resolutionMinutes} min to resolve, in business time)
        {c.rootCause ? ` · root cause: ${humanise(c.rootCause)}` : ''}
      </Text>
      <Group grow align="flex-start">
        <SlaTimer label="First response" timer={c.timers.firstResponse} now={now} />
        <SlaTimer label="Resolution" timer={c.timers.resolution} now={now} />
      </Group>
      <Divider />
      <CaseActions c={c} />
      <Divider />
      <AssignmentPanel c={c} />
      {c.kind === 'complaint' && (
        <>
          <Divider />
          <Title order={3} size="h5">
            Intensive care
          </Title>
          <CareEpisodes customerId={c.customerId} caseId={c.id} />
        </>
      )}
      <Divider />
      <CaseHistory id={c.id} />
    </Stack>
  );
}

function CaseActions({ c }: { c: CaseDetail }) {
  const move = useMoveCase(c.id);
  const respond = useRespond(c.id);
  const [reply, setReply] = useState('');
  const [target, setTarget] = useState<CaseStatus | null>(null);
  const [rootCause, setRootCause] = useState<RootCause | null>(c.rootCause);
  const [note, setNote] = useState('');
  const allowed = NEXT_STATUS[c.status];
  const needsCause = target === 'resolved' && c.kind === 'complaint';
  const open = c.status !== 'resolved' && c.status !== 'closed';

  return (
    <Stack gap="sm">
      {open && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (reply.trim()) respond.mutate(reply.trim(), { onSuccess: () => setReply('') });
          }}
        >
          <Stack gap={6}>
            <Textarea label="Reply to the customer" description={c.firstRespondedAt ? undefined : 'The first reply stops the first-response clock.'} value={reply} onChange={(e) => setReply(e.currentTarget.value)} autosize minRows={2} />
            <Group>
              <Button type="submit" size="xs" loading={respond.isPending} disabled={!reply.trim()}>
                Record reply
              </Button>
            </Group>
            {respond.isError && <ErrorState error={respond.error} />}
          </Stack>
        </form>
      )}
      {allowed.length === 0 ? (
        <Text size="sm" c="dimmed">
          This case is closed; nothing more can happen to it.
        </Text>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!target) return;
            move.mutate(
              { status: target, note: note.trim() || undefined, rootCause: needsCause ? rootCause ?? undefined : undefined },
              { onSuccess: () => { setTarget(null); setNote(''); } },
            );
          }}
        >
          <Stack gap={6}>
            <Text size="sm" fw={600}>
              Move the case
            </Text>
            <Group gap="xs" role="group" aria-label="Allowed moves">
              {allowed.map((s) => (
                <Button key={s} size="xs" variant={target === s ? 'filled' : 'light'} aria-pressed={target === s} onClick={() => setTarget(s)}>
                  {s === 'in_progress' && c.status === 'resolved' ? 'Reopen' : humanise(s)}
                </Button>
              ))}
            </Group>
            {target && (
              <>
                {needsCause && (
                  <Select label="Root cause" description="Resolving a complaint needs its root cause." data={ROOT_CAUSES.map((r) => ({ value: r, label: humanise(r) }))} value={rootCause} onChange={(v) => setRootCause(v as RootCause | null)} required />
                )}
                <Textarea label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={1} />
                <Group>
                  <Button type="submit" size="xs" loading={move.isPending} disabled={needsCause && !rootCause}>
                    Move to {humanise(target)}
                  </Button>
                  <Button size="xs" variant="subtle" onClick={() => setTarget(null)}>
                    Cancel
                  </Button>
                </Group>
              </>
            )}
            {move.isError && <ErrorState error={move.error} title="The case did not move" />}
          </Stack>
        </form>
      )}
    </Stack>
  );
}

function AssignmentPanel({ c }: { c: CaseDetail }) {
  const decisions = useAssignment(c.id);
  const staff = useStaff(c.divisionId);
  const override = useOverrideAssignment(c.id);
  const [userId, setUserId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const latest = decisions.data?.[0];
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        Assignment
      </Title>
      <Text size="sm">
        {c.ownerName ? (
          <>
            Owned by <b>{c.ownerName}</b>
          </>
        ) : (
          'Waiting in a queue'
        )}
      </Text>
      {decisions.isPending ? (
        <Skeleton h={60} />
      ) : decisions.isError ? (
        <ErrorState error={decisions.error} title="The routing decision could not be loaded" />
      ) : latest ? (
        <Alert variant="light" color={latest.outcome === 'overridden' ? 'grape' : 'blue'} title={`Why: ${latest.outcome} on ${formatDateTime(latest.createdAt)}`}>
          <Stack gap={4}>
            {latest.reasons.map((r) => (
              <Text size="sm" key={r}>
                {r}
              </Text>
            ))}
            {latest.candidates.length > 0 && (
              <Table fz="xs" mt={4} aria-label="Candidates the engine weighed">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Candidate</Table.Th>
                    <Table.Th>Score</Table.Th>
                    <Table.Th>Seniority · continuity · workload</Table.Th>
                    <Table.Th>Why</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {latest.candidates.slice(0, 8).map((cand) => (
                    <Table.Tr key={cand.userId} c={cand.eligible ? undefined : 'dimmed'}>
                      <Table.Td>{cand.displayName}</Table.Td>
                      <Table.Td>{cand.score === null ? 'not eligible' : cand.score.toFixed(2)}</Table.Td>
                      <Table.Td>{cand.parts ? `${cand.parts.seniority.toFixed(2)} · ${cand.parts.continuity.toFixed(2)} · ${cand.parts.workload.toFixed(2)}` : '—'}</Table.Td>
                      <Table.Td>{cand.reasons.join('; ')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        </Alert>
      ) : (
        <Text size="sm" c="dimmed">
          No routing decision was recorded.
        </Text>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim()) override.mutate({ reason: reason.trim(), userId: userId ?? undefined }, { onSuccess: () => setReason('') });
        }}
      >
        <Group align="flex-end" gap="xs">
          <Select
            label="Override: assign to"
            placeholder="Ask the engine again"
            clearable
            data={(staff.data ?? []).map((s) => ({ value: s.userId, label: `${s.displayName} (${s.openCases} open${s.available ? '' : ', away'})` }))}
            value={userId}
            onChange={setUserId}
            w={240}
          />
          <Textarea label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={1} w={220} />
          <Button type="submit" size="xs" variant="light" loading={override.isPending} disabled={!reason.trim()}>
            {userId ? 'Reassign' : 'Route again'}
          </Button>
        </Group>
        {override.isError && <ErrorState error={override.error} title="The assignment did not change" />}
      </form>
    </Stack>
  );
}

function CaseHistory({ id }: { id: string }) {
  const events = useCaseEvents(id);
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        History
      </Title>
      {events.isPending ? (
        <Skeleton h={80} />
      ) : events.isError ? (
        <ErrorState error={events.error} title="The history could not be loaded" />
      ) : events.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing has happened yet.
        </Text>
      ) : (
        <Timeline bulletSize={12} lineWidth={2} aria-label="Case history">
          {events.data.map((e) => (
            <Timeline.Item key={e.id} title={<Text size="sm" fw={600}>{eventTitle(e)}</Text>}>
              <Text size="xs" c="dimmed">
                {formatDateTime(e.at)} · {e.actorKind === 'user' ? 'by a person' : humanise(e.actorKind)}
              </Text>
              {e.note && <Text size="sm">{e.note}</Text>}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Stack>
  );
}

function eventTitle(e: { kind: string; fromValue: string | null; toValue: string | null }) {
  if (e.fromValue && e.toValue) return `${humanise(e.kind)}: ${humanise(e.fromValue)} → ${humanise(e.toValue)}`;
  if (e.toValue) return `${humanise(e.kind)}: ${humanise(e.toValue)}`;
  return humanise(e.kind);
}
