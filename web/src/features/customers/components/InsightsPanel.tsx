import { Alert, Stack } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import type { Insight } from '../../../api/types';

/** What no single division could see alone, such as an offer for a product the customer already holds. */
export function InsightsPanel({ insights }: { insights: Insight[] }) {
  if (!insights.length) return null;
  const ordered = [...insights].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'warning' ? -1 : 1));
  return (
    <Stack gap="xs" component="section" aria-label="Across divisions">
      {ordered.map((insight) => (
        <Alert
          key={insight.kind + insight.message}
          variant="light"
          color={insight.severity === 'warning' ? 'orange' : 'blue'}
          icon={insight.severity === 'warning' ? <IconAlertTriangle size={18} /> : <IconInfoCircle size={18} />}
          py="xs"
        >
          {insight.message}
        </Alert>
      ))}
    </Stack>
  );
}
