/**
 * Loads the labelled linkage sets in shared/bench-data the way a user's import would: a column mapping onto
 * canonical fields, then normalisePerson. No parsing tuned to a data set.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { CanonicalField } from '../src/modules/identity/canonical.js';
import type { ResolveRecord } from '../src/modules/identity/comparisons.js';
import { normalisePerson } from '../src/modules/identity/normalise.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH_DATA = path.resolve(repoRoot, '../shared/bench-data');
export const benchDataExists = existsSync(path.join(BENCH_DATA, 'febrl/dataset1.csv')) && existsSync(path.join(BENCH_DATA, 'splink_datasets/fake_1000.csv'));

export interface LabelledSet {
  name: string;
  records: ResolveRecord[];
  /** Truth label (entity) per record, same order. */
  truth: string[];
  uniqueSources: string[];
  warnings: number;
}

type Mapping = Partial<Record<CanonicalField, string>>;

const FEBRL_MAPPING: Mapping = {
  external_id: 'rec_id', given_name: 'given_name', family_name: 'surname', street_number: 'street_number',
  address_line1: 'address_1', address_line2: 'address_2', locality: 'suburb', postcode: 'postcode', region: 'state',
  date_of_birth: 'date_of_birth', national_id: 'soc_sec_id',
};

const FAKE_MAPPING: Mapping = {
  external_id: 'unique_id', given_name: 'first_name', family_name: 'surname', date_of_birth: 'dob', locality: 'city', email: 'email',
};

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true, trim: true, skip_empty_lines: true, relax_column_count: true });
}

function toRecords(rows: Record<string, string>[], mapping: Mapping, source: string, counter: { warnings: number }): ResolveRecord[] {
  return rows.map((row) => {
    const input = Object.fromEntries(Object.entries(mapping).map(([field, col]) => [field, row[col as string]]));
    const { person, warnings } = normalisePerson(input, { defaultCountry: 'AU' });
    counter.warnings += warnings.length;
    return { id: `${source}:${person.externalId}`, source, person };
  });
}

const febrlTruth = (recId: string) => recId.replace(/^rec-(\d+)-.*$/, '$1');

export function loadFebrl(n: 1 | 2 | 3): LabelledSet {
  const rows = readCsv(path.join(BENCH_DATA, `febrl/dataset${n}.csv`));
  const counter = { warnings: 0 };
  const records = toRecords(rows, FEBRL_MAPPING, 'febrl', counter);
  return { name: `febrl${n}`, records, truth: rows.map((r) => febrlTruth(r.rec_id)), uniqueSources: [], warnings: counter.warnings };
}

export function loadFebrl4(): LabelledSet {
  const counter = { warnings: 0 };
  const a = readCsv(path.join(BENCH_DATA, 'febrl/dataset4a.csv'));
  const b = readCsv(path.join(BENCH_DATA, 'febrl/dataset4b.csv'));
  const records = [...toRecords(a, FEBRL_MAPPING, 'febrl4a', counter), ...toRecords(b, FEBRL_MAPPING, 'febrl4b', counter)];
  const truth = [...a, ...b].map((r) => febrlTruth(r.rec_id));
  return { name: 'febrl4', records, truth, uniqueSources: ['febrl4a', 'febrl4b'], warnings: counter.warnings };
}

export function loadFake1000(): LabelledSet {
  const rows = readCsv(path.join(BENCH_DATA, 'splink_datasets/fake_1000.csv'));
  const counter = { warnings: 0 };
  const records = toRecords(rows, FAKE_MAPPING, 'fake', counter);
  return { name: 'fake_1000', records, truth: rows.map((r) => r.cluster), uniqueSources: [], warnings: counter.warnings };
}

/** Pairwise precision, recall and F1 of a clustering against truth labels (every pair in one cluster = a predicted link). */
export function pairwiseScores(clusterOf: string[], truth: string[]): { precision: number; recall: number; f1: number; truePositives: number; predicted: number; actual: number } {
  const pairsIn = (labels: string[]) => {
    const counts = new Map<string, number>();
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    let s = 0;
    for (const c of counts.values()) s += (c * (c - 1)) / 2;
    return s;
  };
  const predicted = pairsIn(clusterOf);
  const actual = pairsIn(truth);
  const truePositives = pairsIn(clusterOf.map((c, i) => `${c}\u0000${truth[i]}`));
  const precision = predicted ? truePositives / predicted : 1;
  const recall = actual ? truePositives / actual : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, truePositives, predicted, actual };
}
