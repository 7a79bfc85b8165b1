import { Stack, Text } from '@mantine/core';
import { ImportWizard } from '../features/identity/import/ImportWizard';

/** Bring a division system's export into Rapport, then resolve it against everyone already known. */
export function IdentityImportPage() {
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Records are imported as the division’s system holds them; resolution then decides which customer each one belongs to.
      </Text>
      <ImportWizard />
    </Stack>
  );
}
