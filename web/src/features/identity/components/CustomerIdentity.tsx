import type { ReactNode } from 'react';
import type { CustomerDetail, DivisionRecords, RecordOf360 } from '../../../api/types';
import { recordName } from '../recordComparison';
import { undoableMerge } from '../history';
import { useClusterHistory } from '../queries';
import { ClusterHistory, UndoMerge } from './ClusterHistory';
import { SplitRecordAction } from './SplitRecordAction';

/** The per-record action of the customer page: only offered while another record would stay behind. */
export function splitActionFor(customer: CustomerDetail): ((record: RecordOf360) => ReactNode) | undefined {
  if (customer.status !== 'active' || customer.sourceRecordCount < 2) return undefined;
  return (record) => <SplitRecordAction customer={customer} record={record} />;
}

const recordLabels = (groups: DivisionRecords[]) =>
  new Map(groups.flatMap((g) => g.records.map((r) => [r.id, `${recordName(r)} (${r.sourceCode} · ${r.externalId})`] as const)));

/** The customer page's History panel, naming the records it can see. */
export function CustomerHistoryPanel({ customerId, groups }: { customerId: string; groups: DivisionRecords[] }) {
  return <ClusterHistory customerId={customerId} recordLabels={recordLabels(groups)} />;
}

/** "Undo last merge" beside the customer's name, while the latest merge's records are still with them. */
export function UndoLastMerge({ customerId, groups }: { customerId: string; groups: DivisionRecords[] }) {
  const history = useClusterHistory(customerId);
  const labels = recordLabels(groups);
  const merge = history.data ? undoableMerge(history.data, new Set(labels.keys())) : null;
  return merge ? <UndoMerge customerId={customerId} merge={merge} recordLabels={labels} /> : null;
}
