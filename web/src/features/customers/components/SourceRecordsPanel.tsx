import { useEffect, type ReactNode } from 'react';
import { Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useLocation } from 'react-router-dom';
import type { DivisionRecords, RecordOf360 } from '../../../api/types';
import type { DivisionDirectory } from '../../org/divisions';
import { DivisionBadge } from '../../org/DivisionBadge';
import { formatDate } from '../../../ui/format';
import { formatPhone } from '../../../ui/phone';
import { EmptyState } from '../../../ui/states';
import classes from './SourceRecordsPanel.module.css';

function linkLabel(link: RecordOf360['link']): string {
  switch (link.method) {
    case 'probabilistic':
      return link.matchProbability === null ? 'probable match' : `match ${Math.round(link.matchProbability * 100)}%`;
    case 'deterministic':
      return link.rule ? `exact: ${link.rule}` : 'exact match';
    case 'manual':
      return 'linked by hand';
    case 'seed':
      return 'first record';
    default:
      return link.method;
  }
}

/** What each division's own system says about this customer, side by side: the silos the golden record unites. */
export function SourceRecordsPanel({
  groups,
  hiddenElsewhere,
  directory,
  recordAction,
}: {
  groups: DivisionRecords[];
  hiddenElsewhere: number;
  directory: DivisionDirectory;
  /** An action shown on each record (identity's "Not this person"). */
  recordAction?: (record: RecordOf360) => ReactNode;
}) {
  const { hash } = useLocation();
  const total = groups.reduce((n, g) => n + g.records.length, 0);
  useEffect(() => {
    if (hash.startsWith('#record-')) document.getElementById(hash.slice(1))?.scrollIntoView({ block: 'center' });
  }, [hash, total]);
  const ordered = [...groups].sort((a, b) => a.divisionName.localeCompare(b.divisionName));

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="records-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="records-title">
          Records by division ({total})
        </Title>
        {total === 0 ? (
          <EmptyState title="No division records you can see">
            {hiddenElsewhere
              ? 'This customer’s records are held by divisions you do not serve.'
              : 'This customer was created by hand; no division system holds a record of them yet.'}
          </EmptyState>
        ) : (
          <SimpleGrid cols={{ base: 1, md: Math.min(ordered.length, 2) }} spacing="md">
            {ordered.map((group) => (
              <Stack key={group.divisionId} gap="xs" component="section" aria-label={`${group.divisionName} records`}>
                <Group gap="xs">
                  <DivisionBadge id={group.divisionId} directory={directory} size="md" />
                  <Text size="xs" c="dimmed">
                    {group.records.length} record{group.records.length === 1 ? '' : 's'}
                  </Text>
                </Group>
                {group.records.map((r) => (
                  <Paper key={r.id} id={`record-${r.id}`} withBorder p="sm" radius="sm" className={classes.record} data-highlight={hash === `#record-${r.id}` || undefined}>
                    <Group justify="space-between" align="flex-start" gap={4}>
                      <Text fw={600} size="sm">
                        {r.fullName ?? ([r.givenName, r.familyName].filter(Boolean).join(' ') || 'No name recorded')}
                      </Text>
                      <Badge size="xs" variant="light" color="gray" tt="none" style={{ flexShrink: 0 }}>
                        {linkLabel(r.link)}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed" mb={4}>
                      {r.sourceCode} · {r.externalId}
                    </Text>
                    <dl className={classes.facts}>
                      <Fact label="Born" value={r.dateOfBirth ? formatDate(r.dateOfBirth) : null} />
                      <Fact label="Email" value={r.email} />
                      <Fact label="Phone" value={r.phone ? formatPhone(r.phone) : null} />
                      <Fact label="Address" value={[r.addressLine1, r.locality, r.postcode].filter(Boolean).join(', ') || null} />
                    </dl>
                    {recordAction && (
                      <Group justify="flex-end" mt={4}>
                        {recordAction(r)}
                      </Group>
                    )}
                  </Paper>
                ))}
              </Stack>
            ))}
          </SimpleGrid>
        )}
        {hiddenElsewhere > 0 && (
          <Text size="xs" c="dimmed">
            Divisions you do not serve hold {hiddenElsewhere} more record{hiddenElsewhere === 1 ? '' : 's'} of this customer.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function Fact({ label, value }: { label: string; value: string | null }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value ?? '—'}</dd>
    </>
  );
}
