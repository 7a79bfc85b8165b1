import { Alert, Badge, Button, Group, Kbd, Paper, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconCheck, IconInfoCircle, IconX } from '@tabler/icons-react';
import type { DivisionDirectory } from '../../org/divisions';
import { ErrorState } from '../../../ui/states';
import { formatProbability, formatWeight, holdReason, parseExplanation } from '../explanation';
import { recordName } from '../recordComparison';
import { useSourceRecord, type ReviewPair } from '../queries';
import { MatchExplanation } from './MatchExplanation';
import { RecordsSideBySide } from './RecordsSideBySide';

interface Props {
  pair: ReviewPair;
  directory: DivisionDirectory;
  systemNames: Map<string, string>;
  reason: string;
  onReason(reason: string): void;
  onDecide(verdict: 'accept' | 'reject'): void;
  deciding: 'accept' | 'reject' | null;
  decisionError: unknown;
}

/** One doubtful pair: the decision first, then the evidence it rests on (the two records, the weights). */
export function PairReview({ pair, directory, systemNames, reason, onReason, onDecide, deciding, decisionError }: Props) {
  const a = useSourceRecord(pair.record_a);
  const b = useSourceRecord(pair.record_b);
  const explanation = parseExplanation(pair.explanation);
  const title = a.data && b.data ? `${recordName(a.data)} and ${recordName(b.data)}` : 'Loading the two records…';

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="pair-title">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={2} size="h4" id="pair-title">
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              Are these one person?
            </Text>
          </div>
          <Stack gap={0} align="flex-end">
            <Text fw={700} fz={26} lh={1.1} aria-label={`Match probability ${formatProbability(pair.match_probability)}`}>
              {formatProbability(pair.match_probability)}
            </Text>
            <Text size="xs" c="dimmed">
              match probability
            </Text>
          </Stack>
        </Group>

        <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} />} p="xs">
          <Text size="sm">{holdReason(explanation, pair.match_weight, pair.match_probability)}</Text>
          {explanation?.rule && (
            <Text size="xs" c="dimmed" mt={2}>
              Found by the “{explanation.rule}” rule
              {pair.match_weight !== null && explanation.weight - pair.match_weight > 0.01
                ? `; the model alone scores it ${formatWeight(explanation.weight)} bits (${formatProbability(explanation.probability)}), held at ${formatWeight(pair.match_weight)}.`
                : '.'}
            </Text>
          )}
        </Alert>

        <Stack gap="xs">
          <TextInput
            label="Reason (optional)"
            placeholder="Why you decided so; kept in each customer’s history"
            value={reason}
            onChange={(e) => onReason(e.currentTarget.value)}
            maxLength={500}
          />
          <Group gap="sm">
            <Button color="teal" leftSection={<IconCheck size={16} />} rightSection={<Kbd size="xs">A</Kbd>} aria-keyshortcuts="a" loading={deciding === 'accept'} disabled={deciding !== null} onClick={() => onDecide('accept')}>
              Same person
            </Button>
            <Button color="red" variant="light" leftSection={<IconX size={16} />} rightSection={<Kbd size="xs">R</Kbd>} aria-keyshortcuts="r" loading={deciding === 'reject'} disabled={deciding !== null} onClick={() => onDecide('reject')}>
              Not the same person
            </Button>
          </Group>
          {decisionError !== null && decisionError !== undefined && <ErrorState error={decisionError} title="The decision was not saved" />}
        </Stack>

        {a.isError || b.isError ? (
          <ErrorState error={a.error ?? b.error} title="A record of this pair could not be loaded" onRetry={() => (a.isError ? a.refetch() : b.refetch())} />
        ) : a.data && b.data ? (
          <RecordsSideBySide a={a.data} b={b.data} directory={directory} systemNames={systemNames} />
        ) : (
          <Skeleton h={280} aria-label="Loading the records" />
        )}

        <Stack gap={4}>
          <Group gap="xs">
            <Title order={3} size="h5">
              How the matcher scored the pair
            </Title>
            {explanation?.refused && (
              <Badge size="xs" variant="outline" color="grape" tt="none">
                {explanation.refused === 'unique-source' ? 'one record per system' : explanation.refused}
              </Badge>
            )}
          </Group>
          {explanation ? <MatchExplanation explanation={explanation} /> : <Text size="sm">No explanation was stored for this pair.</Text>}
        </Stack>
      </Stack>
    </Paper>
  );
}
