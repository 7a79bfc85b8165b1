import { Badge, Stack, Title } from '@mantine/core';
import type { Section } from '../app/navigation';
import { EmptyState } from '../ui/states';

export function ComingSoonPage({ section }: { section: Section }) {
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {section.label}
      </Title>
      <EmptyState title={`${section.label} is coming with ${section.comingWith}`} icon={<section.icon size={24} />} action={<Badge variant="light">Not built yet</Badge>}>
        {section.purpose} Nothing is shown here until that capability lands: no sample figures stand in for real ones.
      </EmptyState>
    </Stack>
  );
}
