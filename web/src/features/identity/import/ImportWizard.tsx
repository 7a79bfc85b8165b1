import { useMemo, useState } from 'react';
import {
  Alert,
  Autocomplete,
  Badge,
  Button,
  Checkbox,
  FileInput,
  Group,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconFileUpload, IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { useDivisions } from '../../org/divisions';
import { ErrorState } from '../../../ui/states';
import { formatCount } from '../../../ui/format';
import { isFinished, useJob, useSourceSystems } from '../queries';
import { importResult } from '../jobs';
import { JobProgress } from '../components/JobProgress';
import { ResolutionRun } from '../components/ResolutionRun';
import { ImportIssues } from './ImportIssues';
import { CANONICAL_FIELDS, FIELD_LABELS, buildMapping, mappingProblems, suggestMapping, type CanonicalField, type DateOrder } from './mapping';
import { PREVIEW_BYTES, describeLayout, previewFile, type FilePreview } from './preview';

const CODE = /^[A-Za-z0-9_.-]{1,64}$/;
/** An explicit choice rather than a clear button: Mantine's clear button is hidden from keyboards and readers. */
const NOT_MAPPED = 'not-mapped';
const FIELD_OPTIONS = [{ value: NOT_MAPPED, label: 'Not mapped (kept as read)' }, ...CANONICAL_FIELDS.map((f) => ({ value: f, label: FIELD_LABELS[f] }))];
const DATE_ORDERS: { value: DateOrder; label: string }[] = [
  { value: 'auto', label: 'Unambiguous forms only (1968-04-12, 19680412, 12 Apr 1968)' },
  { value: 'DD/MM/YYYY', label: 'Day first (12/04/1968)' },
  { value: 'MM/DD/YYYY', label: 'Month first (04/12/1968)' },
];

function formatBytes(n: number) {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 ** 2).toFixed(1)} MB`;
}

/**
 * Import one division's export: the file, the source system it comes from, how its columns map to Rapport's
 * fields (suggested from the header), then the import as a job with its error report, and resolution after.
 */
export function ImportWizard() {
  const queryClient = useQueryClient();
  const systems = useSourceSystems();
  const { directory } = useDivisions();
  const divisions = directory.list;
  const [active, setActive] = useState(0);

  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<FilePreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);

  const [sourceMode, setSourceMode] = useState<'existing' | 'new'>('existing');
  const [existingCode, setExistingCode] = useState<string | null>(null);
  const [newCode, setNewCode] = useState('');
  const [division, setDivision] = useState('');

  const [columns, setColumns] = useState<Record<string, CanonicalField | null>>({});
  const [suggested, setSuggested] = useState<Record<string, CanonicalField | null>>({});
  const [generateIds, setGenerateIds] = useState(false);
  const [dateOrder, setDateOrder] = useState<DateOrder>('auto');
  const [onError, setOnError] = useState<'skip' | 'abort'>('skip');

  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const result = importResult(job.data);

  const choice = { columns, generateIds, dateOrder, format: preview?.format };
  const problems = preview ? mappingProblems(choice) : [];
  const sourceCode = sourceMode === 'existing' ? existingCode : newCode.trim();
  const sourceProblem =
    sourceMode === 'existing'
      ? existingCode
        ? null
        : 'Pick the source system this file comes from.'
      : !CODE.test(newCode.trim())
        ? 'Give the new source system a code: letters, digits, _ . - only (e.g. WEALTH_CRM).'
        : (systems.data ?? []).some((s) => s.code.toLowerCase() === newCode.trim().toLowerCase())
          ? 'A source system with this code exists already: pick it from the list instead.'
          : !division.trim()
            ? 'Name the division the new source system belongs to.'
            : null;

  const onFile = async (f: File | null) => {
    setFile(f);
    setPreview(null);
    setPreviewError(null);
    if (!f) return;
    try {
      const sample = await f.slice(0, PREVIEW_BYTES).text();
      const p = previewFile(sample, f.name, f.size <= PREVIEW_BYTES);
      const s = suggestMapping(p.columns);
      setPreview(p);
      setSuggested(s);
      setColumns(s);
      setGenerateIds(false);
    } catch (err) {
      setPreviewError(err instanceof Error ? err.message : String(err));
    }
  };

  const upload = useMutation({
    mutationFn: () => {
      const form = new FormData();
      form.append('source', sourceCode ?? '');
      if (sourceMode === 'new') form.append('division', division.trim());
      form.append('mapping', JSON.stringify(buildMapping(choice)));
      form.append('onError', onError);
      // Fields first: the server reads the parts in order and the file is the big one.
      form.append('file', file!, file!.name);
      return api.postForm('/api/v1/imports', form);
    },
    onSuccess: (accepted) => {
      setJobId(accepted.jobId);
      void queryClient.invalidateQueries({ queryKey: ['source-systems'] });
      void queryClient.invalidateQueries({ queryKey: ['divisions'] });
    },
  });

  const started = jobId !== null;
  const finished = isFinished(job.data);
  const canNext = [Boolean(preview), !sourceProblem, problems.length === 0][active] ?? false;
  const mapped = preview ? preview.columns.filter((c) => columns[c]) : [];
  const systemOptions = useMemo(
    () => (systems.data ?? []).map((s) => ({ value: s.code, label: `${s.name === s.code ? s.code : `${s.code} · ${s.name}`} (${directory.name(s.divisionId)})` })),
    [systems.data, directory],
  );

  const reset = () => {
    setActive(0);
    setFile(null);
    setPreview(null);
    setColumns({});
    setSuggested({});
    setJobId(null);
    upload.reset();
  };

  return (
    <Paper withBorder p="md">
      <Stepper active={active} onStepClick={started ? undefined : setActive} allowNextStepsSelect={false} size="sm">
        <Stepper.Step label="File" description={file ? file.name : 'CSV, TSV or JSON Lines'}>
          <Stack gap="sm" mt="md">
            <FileInput
              label="File to import"
              description="One division system’s export, with a header row (CSV or TSV) or one JSON object per line."
              placeholder="Choose a file"
              accept=".csv,.tsv,.tab,.txt,.jsonl,.ndjson,text/csv,text/tab-separated-values"
              leftSection={<IconFileUpload size={16} />}
              value={file}
              onChange={onFile}
              clearable
              maw={520}
            />
            {previewError && (
              <Alert color="red" icon={<IconAlertTriangle size={18} />} title="This file cannot be read" role="alert">
                {previewError}
              </Alert>
            )}
            {file && preview && (
              <Text size="sm" aria-label="File summary">
                {file.name} · {formatBytes(file.size)} · {describeLayout(preview)} · {preview.columns.length} columns
              </Text>
            )}
            {preview && <PreviewTable title="First rows as read" columns={preview.columns} rows={preview.rows} />}
          </Stack>
        </Stepper.Step>

        <Stepper.Step label="Source" description={sourceCode || 'Which system it comes from'}>
          <Stack gap="sm" mt="md" maw={560}>
            <Radio.Group label="The file comes from" value={sourceMode} onChange={(v) => setSourceMode(v as 'existing' | 'new')}>
              <Group mt={6}>
                <Radio value="existing" label="A source system Rapport knows" />
                <Radio value="new" label="A new source system" />
              </Group>
            </Radio.Group>
            {sourceMode === 'existing' ? (
              <Select
                label="Source system"
                placeholder={systems.isPending ? 'Loading…' : 'Pick a source system'}
                data={systemOptions}
                value={existingCode}
                onChange={setExistingCode}
                searchable
                nothingFoundMessage="No such source system: choose “A new source system”"
              />
            ) : (
              <>
                <TextInput label="Code of the new source system" description="Short and stable: it names the system in every record’s provenance." placeholder="WEALTH_CRM" value={newCode} onChange={(e) => setNewCode(e.currentTarget.value)} />
                <Autocomplete
                  label="Division"
                  description="An existing division, or the name of a new one"
                  placeholder="e.g. Wealth"
                  data={divisions.map((d) => d.name)}
                  value={division}
                  onChange={setDivision}
                />
              </>
            )}
            {sourceProblem && (sourceMode === 'new' ? newCode || division : existingCode === null && systems.isSuccess) ? (
              <Text size="sm" c="dimmed">
                {sourceProblem}
              </Text>
            ) : null}
          </Stack>
        </Stepper.Step>

        <Stepper.Step label="Columns" description="Map to Rapport’s fields">
          {preview && (
            <Stack gap="sm" mt="md">
              <Text size="sm" c="dimmed">
                Suggestions come from the column names. Columns left unmapped are still kept, as read, with each record.
              </Text>
              <Table.ScrollContainer minWidth={560}>
                <Table fz="sm" verticalSpacing={6} aria-label="Column mapping">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Column in the file</Table.Th>
                      <Table.Th>First values</Table.Th>
                      <Table.Th w={300}>Rapport field</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {preview.columns.map((column, i) => {
                      const samples = preview.rows.map((r) => r[i]).filter(Boolean).slice(0, 2);
                      const field = columns[column] ?? null;
                      return (
                        <Table.Tr key={column}>
                          <Table.Td>
                            <Text size="sm" ff="monospace">
                              {column}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <Text size="xs" c="dimmed" lineClamp={2}>
                              {samples.length ? samples.join(' · ') : 'empty in the first rows'}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <Group gap={6} wrap="nowrap">
                              <Select
                                aria-label={`Rapport field for column ${column}`}
                                size="xs"
                                data={FIELD_OPTIONS}
                                value={field ?? NOT_MAPPED}
                                onChange={(v) => setColumns((c) => ({ ...c, [column]: !v || v === NOT_MAPPED ? null : (v as CanonicalField) }))}
                                allowDeselect={false}
                                searchable
                                error={problems.some((p) => p.field && p.field === field && p.message.includes('columns'))}
                                style={{ flex: 1 }}
                              />
                              {field && suggested[column] === field && (
                                <Badge size="xs" variant="light" tt="none">
                                  suggested
                                </Badge>
                              )}
                            </Group>
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
                <Select label="Dates of birth are written" data={DATE_ORDERS} value={dateOrder} onChange={(v) => v && setDateOrder(v as DateOrder)} allowDeselect={false} />
                {!Object.values(columns).includes('external_id') && (
                  <Checkbox
                    mt={28}
                    label="No id column: derive each record’s id from its content"
                    description="An edited row then counts as a new record."
                    checked={generateIds}
                    onChange={(e) => setGenerateIds(e.currentTarget.checked)}
                  />
                )}
              </SimpleGrid>
              {problems.length > 0 && (
                <Alert color="orange" variant="light" title="Before importing" role="alert">
                  <Stack gap={2}>
                    {problems.map((p) => (
                      <Text size="sm" key={p.message}>
                        {p.message}
                      </Text>
                    ))}
                  </Stack>
                </Alert>
              )}
              {mapped.length > 0 && (
                <PreviewTable
                  title="Preview: the first rows under their Rapport fields"
                  columns={mapped.map((c) => FIELD_LABELS[columns[c]!])}
                  rows={preview.rows.map((r) => mapped.map((c) => r[preview.columns.indexOf(c)] ?? ''))}
                />
              )}
            </Stack>
          )}
        </Stepper.Step>

        <Stepper.Step label="Import" description="Run and check">
          <Stack gap="md" mt="md">
            <Text size="sm">
              Import <b>{file?.name}</b> into <b>{sourceCode}</b>
              {sourceMode === 'new' ? ` (a new source system of ${division.trim()})` : ''}, mapping {mapped.length} of {preview?.columns.length ?? 0} columns.
            </Text>
            <Radio.Group label="When a row is bad" value={onError} onChange={(v) => setOnError(v as 'skip' | 'abort')} readOnly={started}>
              <Stack gap={6} mt={6}>
                <Radio value="skip" label="Skip it and import the rest" description="Bad rows are listed below with their line number." disabled={started} />
                <Radio value="abort" label="Import nothing" description="The whole file is checked before anything is written." disabled={started} />
              </Stack>
            </Radio.Group>
            {!started && (
              <Group>
                <Button leftSection={<IconUpload size={16} />} loading={upload.isPending} onClick={() => upload.mutate()} disabled={!file || !preview || problems.length > 0 || !!sourceProblem}>
                  Start the import
                </Button>
              </Group>
            )}
            {upload.isError && <ErrorState error={upload.error} title="The import was refused" />}
            {started && <JobProgress job={job.data} label="Import" />}
            {job.isError && <ErrorState error={job.error} title="The import’s progress could not be read" onRetry={() => job.refetch()} />}
            {job.data?.status === 'failed' && (
              <Alert color="red" title="The import failed" role="alert">
                {job.data.error ?? 'The job stopped without saying why.'}
              </Alert>
            )}
            {result && (
              <Alert color={result.bad ? 'orange' : 'teal'} variant="light" title={result.bad ? 'Imported, with rows skipped' : 'Imported'} role="status">
                <Text size="sm">
                  {formatCount(result.rowsRead)} rows read: {formatCount(result.inserted)} new, {formatCount(result.updated)} changed, {formatCount(result.unchanged)} unchanged,{' '}
                  {formatCount(result.bad)} bad; {formatCount(result.warnings)} value{result.warnings === 1 ? '' : 's'} dropped as unreadable ({result.seconds} s).
                </Text>
              </Alert>
            )}
            {jobId && finished && <ImportIssues jobId={jobId} which="errors" />}
            {jobId && finished && <ImportIssues jobId={jobId} which="warnings" />}
            {result && <ResolutionRun intro="The records are in, but not yet linked to customers: run resolution to match them against everyone else." />}
            {finished && (
              <Group>
                <Button variant="subtle" onClick={reset}>
                  Import another file
                </Button>
              </Group>
            )}
          </Stack>
        </Stepper.Step>
      </Stepper>

      {!started && (
        <Group justify="space-between" mt="lg">
          <Button variant="default" onClick={() => setActive((a) => Math.max(0, a - 1))} disabled={active === 0}>
            Back
          </Button>
          {active < 3 && (
            <Button onClick={() => setActive((a) => a + 1)} disabled={!canNext}>
              Next
            </Button>
          )}
        </Group>
      )}
    </Paper>
  );
}

function PreviewTable({ title, columns, rows }: { title: string; columns: string[]; rows: string[][] }) {
  return (
    <Stack gap={4}>
      <Title order={3} size="h6">
        {title}
      </Title>
      <Table.ScrollContainer minWidth={Math.max(480, columns.length * 110)}>
        <Table fz="xs" striped withTableBorder verticalSpacing={4} aria-label={title}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c, i) => (
                <Table.Th key={`${c}-${i}`}>{c}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => (
              <Table.Tr key={i}>
                {r.map((v, j) => (
                  <Table.Td key={j}>{v}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
