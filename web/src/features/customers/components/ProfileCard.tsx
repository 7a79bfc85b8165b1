import { Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { CustomerDetail, DivisionRecords } from '../../../api/types';
import type { DivisionDirectory } from '../../org/divisions';
import { formatDate } from '../../../ui/format';
import { readProvenance } from '../provenance';
import { ProvenanceMarker, type RecordRef } from './ProvenanceMarker';

type Field = keyof CustomerDetail & string;
const FIELDS: { key: Field; label: string; format?: (v: string) => string }[] = [
  { key: 'displayName', label: 'Name' },
  { key: 'givenName', label: 'Given name' },
  { key: 'familyName', label: 'Family name' },
  { key: 'dateOfBirth', label: 'Date of birth', format: formatDate },
  { key: 'email', label: 'Email' },
  { key: 'phone', label: 'Phone' },
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
        <Group justify="space-between">
          <Title order={2} size="h4" id="profile-title">
            Golden profile
          </Title>
          <Text size="xs" c="dimmed">
            Badges show the division record each value came from
          </Text>
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="xs" component="dl" m={0}>
          {FIELDS.map(({ key, label, format }) => {
            const raw = customer[key];
            const value = typeof raw === 'string' && raw ? (format ? format(raw) : raw) : null;
            const source = readProvenance(provenance, key);
            return (
              <div key={key}>
                <Text component="dt" size="xs" c="dimmed">
                  {label}
                </Text>
                <Group component="dd" gap={6} m={0} wrap="nowrap" mih={24}>
                  <Text size="sm" c={value ? undefined : 'dimmed'} truncate>
                    {value ?? 'not known'}
                  </Text>
                  {value && source && <ProvenanceMarker field={label} provenance={source} records={byId} directory={directory} />}
                </Group>
              </div>
            );
          })}
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}
