import { useEffect, useMemo, useState } from 'react';
import { Alert, Anchor, Button, CloseButton, Grid, Group, Kbd, ScrollArea, Select, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconChecks } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import type { SourceRecord } from '../api/types';
import { useDivisions } from '../features/org/divisions';
import { PairList } from '../features/identity/components/PairList';
import { PairReview } from '../features/identity/components/PairReview';
import { ResolutionRun } from '../features/identity/components/ResolutionRun';
import { recordName } from '../features/identity/recordComparison';
import { REVIEW_LIMIT, useDecidePair, useReviewPairs, useSourceSystems, type ClusterChange, type ReviewPair } from '../features/identity/queries';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { formatCount } from '../ui/format';

type Order = 'uncertain' | 'likely' | 'unlikely';
const ORDERS: { value: Order; label: string }[] = [
  { value: 'uncertain', label: 'Most uncertain first' },
  { value: 'likely', label: 'Most likely first' },
  { value: 'unlikely', label: 'Least likely first' },
];

interface LastDecision {
  verdict: 'accept' | 'reject';
  names: [string, string];
  change: ClusterChange;
  customerId: string | null;
}

function sorted(pairs: ReviewPair[], order: Order) {
  // The server already answers most uncertain first; the other orders let a reviewer batch the clear ones.
  if (order === 'uncertain') return pairs;
  const sign = order === 'likely' ? -1 : 1;
  return [...pairs].sort((x, y) => sign * (x.match_probability - y.match_probability) || x.id.localeCompare(y.id));
}

function describeDecision(d: LastDecision) {
  const [a, b] = d.names;
  if (d.verdict === 'accept') {
    return d.change.applied === 'merged' ? `Merged: ${a} and ${b} are now one customer.` : `Recorded: ${a} and ${b} were already one customer; later runs keep them together.`;
  }
  return d.change.applied === 'split'
    ? `Split: ${b} now stands apart from ${a} as a customer of its own.`
    : `Recorded: ${a} and ${b} stay separate customers, and later runs keep them apart.`;
}

/** The review queue: the pairs resolution could not decide, one at a time, with the evidence and the keyboard. */
export function IdentityReviewPage() {
  const queryClient = useQueryClient();
  const pairs = useReviewPairs();
  const { directory } = useDivisions();
  const systems = useSourceSystems();
  const systemNames = useMemo(() => new Map((systems.data ?? []).map((s) => [s.code, s.name])), [systems.data]);
  const [order, setOrder] = useState<Order>('uncertain');
  const list = useMemo(() => sorted(pairs.data ?? [], order), [pairs.data, order]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [last, setLast] = useState<LastDecision | null>(null);
  const decide = useDecidePair();
  const [deciding, setDeciding] = useState<'accept' | 'reject' | null>(null);

  const selected = list.find((p) => p.id === selectedId) ?? list[0] ?? null;
  useEffect(() => {
    if (!list.length) return;
    if (!selectedId || !list.some((p) => p.id === selectedId)) setSelectedId(list[0].id);
  }, [list, selectedId]);

  const move = (step: 1 | -1) => {
    if (!list.length || !selected) return;
    const i = list.findIndex((p) => p.id === selected.id);
    const next = list[Math.min(list.length - 1, Math.max(0, i + step))];
    if (next.id !== selected.id) {
      setSelectedId(next.id);
      setReason('');
      decide.reset();
    }
  };

  const onDecide = (verdict: 'accept' | 'reject') => {
    if (!selected || deciding) return;
    const pair = selected;
    const i = list.findIndex((p) => p.id === pair.id);
    const after = list[i + 1] ?? list[i - 1] ?? null;
    const name = (id: string) => {
      const r = queryClient.getQueryData<SourceRecord>(['source-records', id]);
      return r ? recordName(r) : 'the record';
    };
    const names: [string, string] = [name(pair.record_a), name(pair.record_b)];
    setDeciding(verdict);
    decide.mutate(
      { pair, verdict, reason },
      {
        onSuccess: (change) => {
          const customerId = change.customerId ?? pair.customer_a;
          setLast({ verdict, names, change, customerId });
          setSelectedId(after?.id ?? null);
          setReason('');
        },
        onSettled: () => setDeciding(null),
      },
    );
  };

  useHotkeys([
    ['j', () => move(1)],
    ['k', () => move(-1)],
    ['a', () => onDecide('accept')],
    ['r', () => onDecide('reject')],
  ]);

  const banner = last && (
    <Alert
      color={last.verdict === 'accept' ? 'teal' : 'blue'}
      variant="light"
      icon={<IconChecks size={18} />}
      role="status"
      aria-label="Last decision"
      withCloseButton={false}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm">
          {describeDecision(last)}{' '}
          {last.customerId && (
            <Anchor component={Link} to={`/customers/${last.customerId}`} size="sm">
              Open the customer
            </Anchor>
          )}
          {last.verdict === 'reject' && last.change.newCustomerId && (
            <>
              {' · '}
              <Anchor component={Link} to={`/customers/${last.change.newCustomerId}`} size="sm">
                Open the new customer
              </Anchor>
            </>
          )}
        </Text>
        <CloseButton size="sm" aria-label="Dismiss" onClick={() => setLast(null)} />
      </Group>
    </Alert>
  );

  if (pairs.isPending) return <LoadingState label="Loading the review queue…" />;
  if (pairs.isError) return <ErrorState error={pairs.error} title="The review queue could not be loaded" onRetry={() => pairs.refetch()} />;

  if (!list.length) {
    return (
      <Stack gap="md">
        {banner}
        <EmptyState title="Nothing to review" icon={<IconChecks size={24} />}>
          Every pair resolution was unsure about has been decided. New doubtful pairs appear here after the next resolution run, for example after an{' '}
          <Anchor component={Link} to="/identity/import" size="sm">
            import
          </Anchor>
          .
        </EmptyState>
        <ResolutionRun />
      </Stack>
    );
  }

  return (
    <Stack gap="sm">
      {banner}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="xs">
            <Group justify="space-between" align="center" wrap="nowrap" gap="xs">
              <Text size="sm" fw={600} role="status" aria-live="polite" style={{ whiteSpace: 'nowrap' }}>
                {formatCount(list.length)}
                {list.length >= REVIEW_LIMIT ? '+' : ''} pair{list.length === 1 ? '' : 's'} to review
              </Text>
              <Select
                aria-label="Order"
                size="xs"
                w={164}
                data={ORDERS}
                value={order}
                onChange={(v) => v && setOrder(v as Order)}
                allowDeselect={false}
              />
            </Group>
            <Text size="xs" c="dimmed">
              <VisuallyHidden>Keyboard shortcuts: J next pair, K previous pair, A same person, R not the same person.</VisuallyHidden>
              <Group component="span" gap={8} aria-hidden wrap="nowrap">
                <span>
                  <Kbd size="xs">J</Kbd> <Kbd size="xs">K</Kbd> move
                </span>
                <span>
                  <Kbd size="xs">A</Kbd> same
                </span>
                <span>
                  <Kbd size="xs">R</Kbd> not the same
                </span>
              </Group>
            </Text>
            <ScrollArea.Autosize mah="calc(100dvh - 290px)" type="auto" offsetScrollbars>
              <PairList
                pairs={list}
                selectedId={selected?.id ?? null}
                onSelect={(id) => {
                  setSelectedId(id);
                  setReason('');
                  decide.reset();
                }}
                onMove={move}
              />
            </ScrollArea.Autosize>
            {list.length >= REVIEW_LIMIT && (
              <Text size="xs" c="dimmed">
                The first {REVIEW_LIMIT} are shown; more load as these are decided.
              </Text>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          {selected && (
            <PairReview
              key={selected.id}
              pair={selected}
              directory={directory}
              systemNames={systemNames}
              reason={reason}
              onReason={setReason}
              onDecide={onDecide}
              deciding={deciding}
              decisionError={decide.variables?.pair.id === selected.id ? decide.error : null}
            />
          )}
        </Grid.Col>
      </Grid>
      <Group justify="flex-end">
        <Button component={Link} to="/identity/import" variant="subtle" size="compact-sm">
          Import more records
        </Button>
      </Group>
    </Stack>
  );
}
