import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { SourceRecord } from '../../../api/types';
import type { DivisionDirectory } from '../../org/divisions';
import { DivisionBadge } from '../../org/DivisionBadge';
import { formatDate } from '../../../ui/format';
import { formatPhone } from '../../../ui/phone';
import { compareRecords, recordName, type Agreement } from '../recordComparison';
import classes from './RecordsSideBySide.module.css';

const BADGE: Record<Agreement, { label: string; colour: string }> = {
  same: { label: 'same', colour: 'teal' },
  differs: { label: 'differs', colour: 'orange' },
  'one missing': { label: 'one missing', colour: 'gray' },
  'both missing': { label: 'neither', colour: 'gray' },
};

function show(key: string, value: string | null) {
  if (value === null) return null;
  if (key === 'dateOfBirth') return formatDate(value);
  if (key === 'phone') return formatPhone(value);
  return value;
}

function RecordHeading({ record, label, directory, systemName }: { record: SourceRecord; label: string; directory: DivisionDirectory; systemName?: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fw={600}>{recordName(record)}</Text>
      <Text size="xs" c="dimmed" title={systemName}>
        {record.sourceCode} · {record.externalId}
      </Text>
      <Group gap={6}>
        <DivisionBadge id={record.divisionId} directory={directory} size="xs" />
        {record.customerId && (
          <Anchor component={Link} to={`/customers/${record.customerId}#record-${record.id}`} size="xs">
            customer
          </Anchor>
        )}
      </Group>
    </Stack>
  );
}

/** The two records field by field; a value that differs is tinted and labelled, so it is seen and heard. */
export function RecordsSideBySide({ a, b, directory, systemNames }: { a: SourceRecord; b: SourceRecord; directory: DivisionDirectory; systemNames: Map<string, string> }) {
  const rows = compareRecords(a, b);
  const sameCustomer = a.customerId !== null && a.customerId === b.customerId;
  return (
    <Stack gap={6}>
      <table className={classes.table} aria-label="The two records, field by field">
        <thead>
          <tr>
            <th className={classes.label} scope="col">
              Field
            </th>
            <th scope="col">
              <RecordHeading record={a} label="Record A" directory={directory} systemName={systemNames.get(a.sourceCode)} />
            </th>
            <th scope="col">
              <RecordHeading record={b} label="Record B" directory={directory} systemName={systemNames.get(b.sourceCode)} />
            </th>
            <th className={classes.status} scope="col">
              <Text size="xs" c="dimmed" fw={500} span>
                Agreement
              </Text>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const tint = r.agreement === 'differs' ? classes.differs : undefined;
            return (
              <tr key={r.key} data-agreement={r.agreement}>
                <th scope="row" className={classes.label}>
                  {r.label}
                </th>
                {[r.a, r.b].map((v, i) => (
                  <td key={i} className={v === null ? classes.missing : tint}>
                    {show(r.key, v) ?? 'not recorded'}
                  </td>
                ))}
                <td className={classes.status}>
                  <Badge size="xs" variant="light" color={BADGE[r.agreement].colour} tt="none">
                    {BADGE[r.agreement].label}
                  </Badge>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {sameCustomer && (
        <Text size="xs" c="dimmed">
          Both records already belong to the same customer (linked through other records); a decision here is remembered for later runs.
        </Text>
      )}
    </Stack>
  );
}
