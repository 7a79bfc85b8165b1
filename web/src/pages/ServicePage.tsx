import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router-dom';
import { useDivisions } from '../features/org/divisions';
import { CaseQueue } from '../features/service/components/CaseQueue';
import { CaseDrawer } from '../features/service/components/CaseDrawer';
import { IntensiveCareList } from '../features/service/components/CarePanel';
import { AlarmsPanel } from '../features/service/components/AlarmsPanel';
import { LifecycleFunnel } from '../features/service/components/LifecycleFunnel';
import { SurveyResults } from '../features/service/components/SurveyResults';
import type { CaseFilters, CaseKind, CaseStatus, Priority } from '../features/service/queries';

const TABS = ['cases', 'care', 'alarms', 'lifecycle', 'surveys'] as const;
type Tab = (typeof TABS)[number];

/** Daily service work: case queues with live SLA timers, intensive care, neglect alarms, the lifecycle and feedback. */
export function ServicePage() {
  const [params, setParams] = useSearchParams();
  const { directory } = useDivisions();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'cases';
  const caseId = params.get('case');
  // Filters live in the URL, so a queue view can be bookmarked and the back button undoes a filter.
  const filters: CaseFilters = {
    divisionId: params.get('division'),
    teamId: params.get('team'),
    status: (params.get('status')?.split(',').filter(Boolean) ?? []) as CaseStatus[],
    priority: params.get('priority') as Priority | null,
    kind: params.get('kind') as CaseKind | null,
  };
  const update = (changes: Record<string, string | null>) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(changes)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      return next;
    });
  const onFilters = (f: Partial<CaseFilters>) =>
    update({
      ...('divisionId' in f ? { division: f.divisionId ?? null } : {}),
      ...('teamId' in f ? { team: f.teamId ?? null } : {}),
      ...('status' in f ? { status: f.status?.join(',') || null } : {}),
      ...('priority' in f ? { priority: f.priority ?? null } : {}),
      ...('kind' in f ? { kind: f.kind ?? null } : {}),
    });
  const openCase = (id: string | null) => update({ case: id });

  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">
          Service
        </Title>
        <Text size="sm" c="dimmed">
          Every case has a promise with a clock; complaints start a recovery; alarms name the customers drifting away.
        </Text>
      </div>
      <Tabs value={tab} onChange={(v) => update({ tab: v === 'cases' ? null : v })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="cases">Case queues</Tabs.Tab>
          <Tabs.Tab value="care">Intensive care</Tabs.Tab>
          <Tabs.Tab value="alarms">Alarms</Tabs.Tab>
          <Tabs.Tab value="lifecycle">Lifecycle</Tabs.Tab>
          <Tabs.Tab value="surveys">Surveys</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="cases" pt="md">
          <CaseQueue filters={filters} onChange={onFilters} directory={directory} onOpen={openCase} />
        </Tabs.Panel>
        <Tabs.Panel value="care" pt="md">
          <IntensiveCareList onOpenCase={openCase} />
        </Tabs.Panel>
        <Tabs.Panel value="alarms" pt="md">
          <AlarmsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="lifecycle" pt="md">
          <LifecycleFunnel />
        </Tabs.Panel>
        <Tabs.Panel value="surveys" pt="md">
          <SurveyResults />
        </Tabs.Panel>
      </Tabs>
      <CaseDrawer caseId={caseId} onClose={() => openCase(null)} />
    </Stack>
  );
}
