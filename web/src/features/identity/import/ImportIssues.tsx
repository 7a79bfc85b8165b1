import { useState } from 'react';
import { Button, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { ErrorState, LoadingState } from '../../../ui/states';
import { formatCount } from '../../../ui/format';
import { useImportIssues, type ImportRowIssue } from '../queries';

function Page({ jobId, which, offset, onMore }: { jobId: string; which: 'errors' | 'warnings'; offset: number; onMore?: (next: number) => void }) {
  const page = useImportIssues(jobId, which, offset, true);
  if (page.isPending) return <LoadingState label="Loading the report…" minHeight={40} />;
  if (page.isError) return <ErrorState error={page.error} title="The report could not be loaded" onRetry={() => page.refetch()} />;
  return (
    <>
      {page.data.items.map((issue: ImportRowIssue, i: number) => (
        <Table.Tr key={`${offset}-${i}`}>
          <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }}>{issue.line}</Table.Td>
          <Table.Td>{issue.field || '—'}</Table.Td>
          <Table.Td>{issue.reason}</Table.Td>
          <Table.Td>
            <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{issue.raw.length > 240 ? `${issue.raw.slice(0, 240)}…` : issue.raw}</Code>
          </Table.Td>
        </Table.Tr>
      ))}
      {onMore && page.data.nextOffset !== null && (
        <Table.Tr>
          <Table.Td colSpan={4}>
            <Button variant="subtle" size="compact-sm" onClick={() => onMore(page.data.nextOffset!)}>
              Show more
            </Button>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

/** The rows an import skipped (or would have), or the values it dropped: line, field, reason and the row as read. */
export function ImportIssues({ jobId, which }: { jobId: string; which: 'errors' | 'warnings' }) {
  const [offsets, setOffsets] = useState([0]);
  // The first page (shared with the table below through the cache) says how many there are.
  const first = useImportIssues(jobId, which, 0, true);
  const total = first.data?.total ?? 0;
  if (first.isPending) return <LoadingState label="Loading the report…" minHeight={40} />;
  if (first.isError) return <ErrorState error={first.error} title="The report could not be loaded" onRetry={() => first.refetch()} />;
  if (total === 0) return null;
  const title = which === 'errors' ? `Rows not imported (${formatCount(total)})` : `Values dropped as unreadable (${formatCount(total)})`;
  return (
    <Stack gap={6} component="section" aria-label={which === 'errors' ? 'Error report' : 'Warnings'}>
      <Group justify="space-between">
        <Title order={3} size="h5">
          {title}
        </Title>
        <Text size="xs" c="dimmed">
          {which === 'errors' ? 'Fix these rows in the source file and import it again: unchanged rows are skipped.' : 'These rows were imported with the value left empty.'}
        </Text>
      </Group>
      <Table.ScrollContainer minWidth={560} maxHeight={320}>
        <Table striped withTableBorder stickyHeader fz="sm" aria-label={title}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={70}>Line</Table.Th>
              <Table.Th w={130}>Field</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Row as read</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {offsets.map((offset, i) => (
              <Page key={offset} jobId={jobId} which={which} offset={offset} onMore={i === offsets.length - 1 ? (next) => setOffsets((o) => [...o, next]) : undefined} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
