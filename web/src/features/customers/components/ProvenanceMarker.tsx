import { Badge, Tooltip } from '@mantine/core';
import { IconHandFinger } from '@tabler/icons-react';
import type { DivisionDirectory } from '../../org/divisions';
import { formatDate } from '../../../ui/format';
import type { Provenance } from '../provenance';

export interface RecordRef {
  id: string;
  divisionId: string;
  sourceCode: string;
  externalId: string;
}

interface Props {
  field: string;
  provenance: Provenance;
  records: Map<string, RecordRef>;
  directory: DivisionDirectory;
}

/** A small badge naming where a golden value came from; the tooltip (and the accessible name) says exactly which record. */
export function ProvenanceMarker({ field, provenance, records, directory }: Props) {
  if (provenance.kind === 'manual') {
    const detail = `${field}: corrected by hand${provenance.at ? ` on ${formatDate(provenance.at)}` : ''}`;
    return (
      <Tooltip label={detail} events={{ hover: true, focus: true, touch: true }}>
        <Badge component="span" tabIndex={0} size="xs" variant="outline" color="gray" leftSection={<IconHandFinger size={10} />} aria-label={`Source: ${detail}`} tt="none">
          manual
        </Badge>
      </Tooltip>
    );
  }
  if (provenance.kind === 'other') {
    return (
      <Badge component="span" size="xs" variant="outline" color="gray" tt="none" aria-label={`Source of ${field}: recorded`}>
        recorded
      </Badge>
    );
  }
  const record = provenance.sourceRecordId ? records.get(provenance.sourceRecordId) : undefined;
  const divisionId = provenance.divisionId ?? record?.divisionId;
  const division = divisionId ? directory.name(divisionId) : provenance.divisionLabel ?? 'a division';
  const system = record ? `${record.sourceCode} record ${record.externalId}` : provenance.sourceCode ?? 'a source record';
  const detail = [`${field} from ${division}`, system, provenance.rule ? `rule: ${provenance.rule.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}` : null, provenance.at ? `as of ${formatDate(provenance.at)}` : null]
    .filter(Boolean)
    .join(' · ');
  return (
    <Tooltip label={detail} events={{ hover: true, focus: true, touch: true }} multiline maw={320}>
      <Badge
        component={record ? 'a' : 'span'}
        href={record ? `#record-${record.id}` : undefined}
        tabIndex={0}
        size="xs"
        variant="dot"
        color={divisionId ? directory.colour(divisionId) : 'gray'}
        aria-label={`Source: ${detail}`}
        tt="none"
        style={{ cursor: record ? 'pointer' : 'default' }}
      >
        {division}
      </Badge>
    </Tooltip>
  );
}
