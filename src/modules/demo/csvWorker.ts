/**
 * Worker entry: produces CSV batches (csv.ts) while the loader's thread feeds the previous ones to the database.
 * At most `window` batches are ahead of the database, so memory stays bounded whatever the size of the bank.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { csvBatches, type DemoOrg } from './csv.js';
import type { DemoOptions } from './generator.js';

export interface CsvWorkerData {
  tenantId: string;
  org: DemoOrg;
  options: DemoOptions;
  batchRows: number;
  window: number;
}

const port = parentPort!;
const data = workerData as CsvWorkerData;
let credits = data.window;
let wake: (() => void) | null = null;
// Each message from the loader says it has finished one batch: one more may be produced.
port.on('message', () => {
  credits++;
  wake?.();
  wake = null;
});
for (const batch of csvBatches(data.tenantId, data.org, data.options, data.batchRows)) {
  if (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  port.postMessage(batch);
}
port.postMessage(null);
