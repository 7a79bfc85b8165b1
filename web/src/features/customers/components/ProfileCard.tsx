import { Paper, Stack, Text, Title } from '@mantine/core';
import type { CustomerDetail, DivisionRecords } from '../../../api/types';
import type { DivisionDirectory } from '../../org/divisions';
import { formatDate } from '../../../ui/format';
import { formatPhone } from '../../../ui/phone';
import { readProvenance } from '../provenance';
import { ProvenanceMarker, type RecordRef } from './ProvenanceMarker';
import classes from './ProfileCard.module.css';

type Field = keyof CustomerDetail & string;
const FIELDS: { key: Field; label: string; format?: (v: string) => string }[] = [
  { key: 'displayName', label: 'Name' },
  { key: 'givenName', label: 'Given name' },
  { key: 'familyName', label: 'Family name' },
  { key: 'dateOfBirth', label: 'Date of birth', format: formatDate },
  { key: 'email', label: 'Email' },
  { key: 'phone', label: 'Phone', format: formatPhone },
  { key: 'addressLine1', label: 'Address' },
  { key: 'locality', label: 'Locality' },
  { key: 'postcode', label: 'Postcode' },
  { key: 'country', label: 'Country' },
];

/** The golden record: the surviving value of each field, marked with the division record it came from. */
export function ProfileCard({ customer, groups, directory }: { customer: CustomerDetail; groups: DivisionRecords[]; directory: DivisionDirectory }) {
  const byId = new Map<string, RecordRef>(groups.flatMap((g) => g.records.map((r) => [r.id, { ...r, divisionId: g.divisionId }] as const)));
  const provenance = customer.provenance as Record<string, unknown>;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="profile-title">
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4" id="profile-title">
            Golden profile
          </Title>
          <Text size="xs" c="dimmed">
            The best value of each field across divisions; the badge names the record it came from.
          </Text>
        </div>
        <dl className={classes.fields}>
          {FIELDS.map(({ key, label, format }) => {
            const raw = customer[key];
            const value = typeof raw === 'string' && raw ? (format ? format(raw) : raw) : null;
            const source = readProvenance(provenance, key);
            return (
              <div key={key} className={classes.field}>
                <dt>{label}</dt>
                <dd className={value ? undefined : classes.unknown}>{value ?? 'not known'}</dd>
                <dd className={classes.source}>{value && source && <ProvenanceMarker field={label} provenance={source} records={byId} directory={directory} />}</dd>
              </div>
            );
          })}
        </dl>
      </Stack>
    </Paper>
  );
}
