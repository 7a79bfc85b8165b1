import { describe, expect, it } from 'vitest';
import { BlockIndex, blockingRecall, defaultBlockingRules, type BlockingRule } from './blocking.js';
import { PersonTable, type ResolveRecord } from './comparisons.js';
import { normalisePerson } from './normalise.js';
import type { CanonicalInput } from './canonical.js';

const rec = (id: string, input: CanonicalInput, source = 's'): ResolveRecord => ({ id, source, person: normalisePerson(input).person });

const byFamily: BlockingRule = { name: 'family', uses: ['family_name'], key: (t, r) => t.value('family', r) };
const byDob: BlockingRule = { name: 'dob', uses: ['date_of_birth'], key: (t, r) => (t.dob.data[r] < 0 ? null : t.dob.data[r]) };

describe('blocking', () => {
  const records = [
    rec('1', { given_name: 'Ann', family_name: 'Lee', date_of_birth: '1980-01-01' }),
    rec('2', { given_name: 'Anne', family_name: 'Lee', date_of_birth: '1980-01-01' }),
    rec('3', { given_name: 'Bob', family_name: 'Lee', date_of_birth: '1990-05-05' }),
    rec('4', { given_name: 'Rob', family_name: 'Kay', date_of_birth: '1990-05-05' }),
    rec('5', { given_name: 'Zed', family_name: 'Zed' }),
  ];

  it('produces each pair once across rules, attributed to the first rule', () => {
    const t = PersonTable.from(records);
    const pairs = BlockIndex.build(t, [byFamily, byDob], { maxBlockSize: 100 }).allPairs(t);
    const list = [...pairs.a].map((a, k) => `${a}-${pairs.b[k]}`).sort();
    expect(list).toEqual(['0-1', '0-2', '1-2', '2-3']);
    expect(pairs.perRule).toEqual({ family: 3, dob: 1 });
  });

  it('skips and reports a block larger than the cap, so nothing goes quadratic', () => {
    const t = PersonTable.from(records);
    const pairs = BlockIndex.build(t, [byFamily, byDob], { maxBlockSize: 2 }).allPairs(t);
    expect(pairs.skippedBlocks).toEqual([{ rule: 'family', blocks: 1, records: 3, largest: 3, example: 'lee' }]);
    // the dob rule still finds 0-1 and 2-3: a skipped block does not hide pairs from later rules
    expect([...pairs.a].map((a, k) => `${a}-${pairs.b[k]}`).sort()).toEqual(['0-1', '2-3']);
  });

  it('never pairs two records of one unique-per-person source', () => {
    const t = PersonTable.from(records.map((r, k) => ({ ...r, source: k < 2 ? 'crm' : 'cards' })));
    const unique = new Uint8Array(t.sources.length);
    unique[t.sourceCode('crm')] = 1;
    const pairs = BlockIndex.build(t, [byFamily, byDob], { maxBlockSize: 100, uniqueSource: unique }).allPairs(t);
    expect([...pairs.a].map((a, k) => `${a}-${pairs.b[k]}`).sort()).toEqual(['0-2', '1-2', '2-3']);
  });

  it('finds candidates for records added after the build, and drops rows whose key changed', () => {
    const t = PersonTable.from(records);
    const index = BlockIndex.build(t, [byFamily, byDob], { maxBlockSize: 100 });
    const row = t.upsert(rec('6', { given_name: 'Al', family_name: 'Kay' }));
    index.update(t, row);
    const found = new Set<number>();
    index.candidatesOf(row, found);
    expect([...found]).toEqual([3]);
    // record 4 changes family name: it leaves the "kay" block
    index.update(t, t.upsert(rec('4', { given_name: 'Rob', family_name: 'Lee', date_of_birth: '1990-05-05' })));
    const again = new Set<number>();
    index.candidatesOf(row, again);
    expect([...again]).toEqual([]);
    const lee = new Set<number>();
    index.candidatesOf(0, lee);
    expect([...lee].sort()).toEqual([1, 2, 3]);
  });

  it('reports recall against labels', () => {
    const t = PersonTable.from(records);
    const pairs = BlockIndex.build(t, [byDob], { maxBlockSize: 100 }).allPairs(t);
    const labels = ['a', 'a', 'b', 'b', 'b'];
    expect(blockingRecall(pairs, (r) => labels[r], t.size)).toEqual({ truePairs: 4, found: 2, recall: 0.5 });
  });

  it('default rules catch typos, nicknames, swapped names and a wrong birth date', () => {
    const t = PersonTable.from([
      rec('a', { given_name: 'William', family_name: 'Jackson', date_of_birth: '1961-04-12', postcode: '2000' }),
      rec('b', { given_name: 'Bill', family_name: 'Jackson', date_of_birth: '1961-12-04' }),
      rec('c', { given_name: 'Jackson', family_name: 'William', date_of_birth: '1961-04-12' }),
      rec('d', { given_name: 'Wiliam', family_name: 'Jaksonn', date_of_birth: '1961-04-12' }),
      rec('e', { given_name: 'Mary', family_name: 'Jackson', date_of_birth: '1990-04-12', postcode: '2000' }),
    ]);
    const pairs = BlockIndex.build(t, defaultBlockingRules(), { maxBlockSize: 100 }).allPairs(t);
    const list = new Set([...pairs.a].map((a, k) => `${a}-${pairs.b[k]}`));
    for (const p of ['0-1', '0-2', '0-3']) expect(list.has(p), p).toBe(true);
  });
});
