import { describe, expect, it } from 'vitest';
import { createGenerator } from '../../../bench/identity-synth.js';
import { pairwiseScores } from '../../../bench/identity-data.js';
import type { CanonicalInput } from './canonical.js';
import { normalisePerson } from './normalise.js';
import { resolve, resolveIncremental, type ResolveRecord } from './pipeline.js';

const rec = (id: string, source: string, input: CanonicalInput): ResolveRecord => ({ id, source, person: normalisePerson(input, { defaultCountry: 'GB' }).person });

function population(people: number, seed: number) {
  const gen = createGenerator(seed);
  const rows = gen.people(people);
  return { gen, records: rows.map((s, k) => ({ id: `r${k}`, source: s.source, person: normalisePerson(s.input, { defaultCountry: 'GB' }).person })), truth: rows.map((s) => String(s.truth)) };
}

const counter = () => {
  let n = 0;
  return () => `c${n++}`;
};

describe('resolve', () => {
  // Bill Jackson across the bank, plus a namesake who is someone else, padded with a synthetic population so
  // that EM has something to learn from.
  const base = population(400, 11);
  const bill = [
    rec('mortgage-1', 'mortgages', { given_name: 'William', family_name: 'Jackson', date_of_birth: '1961-04-12', national_id: 'AB123456C', address_line1: '4 Elm Rd', postcode: 'LS1 4AB', locality: 'Leeds' }),
    rec('cards-1', 'cards', { full_name: 'Bill Jackson', date_of_birth: '12/04/1961', email: 'bill@jackson.net', address_line1: '4 Elm Road', postcode: 'LS14AB', locality: 'Leeds' }),
    rec('insurance-1', 'insurance', { given_name: 'WILLIAM', family_name: 'JACKSON', date_of_birth: '1961-12-04', email: 'bill@jackson.net', phone: '07911 123456' }),
    rec('cards-2', 'cards', { given_name: 'William', family_name: 'Jackson', date_of_birth: '1994-07-30', address_line1: '9 Mill Lane', postcode: 'M1 2CD', locality: 'Manchester' }),
  ];
  const records = [...base.records, ...bill];
  let shared: ReturnType<typeof resolve> | undefined;
  const once = () => (shared ??= resolve(records, { newClusterId: counter() }));

  it('finds one customer across divisions, and not the namesake', () => {
    const result = once();
    const of = (id: string) => result.clusterOf.get(id);
    expect(of('cards-1')).toBe(of('mortgage-1'));
    expect(of('insurance-1')).toBe(of('mortgage-1'));
    expect(of('cards-2')).not.toBe(of('mortgage-1'));
    expect(result.stats.pairsCompared).toBeGreaterThan(0);
    expect(result.stats.model.converged).toBe(true);
  });

  it('explains every link per field', () => {
    const result = once();
    const link = result.autoLinks.find((l) => [l.a, l.b].includes('cards-1') && [l.a, l.b].includes('mortgage-1'))
      ?? result.autoLinks.find((l) => [l.a, l.b].includes('cards-1'))!;
    expect(link.explanation!.fields.find((f) => f.comparison === 'given_name')!.level).toMatch(/nickname|exact/);
    expect(link.probability).toBeGreaterThanOrEqual(0.9);
  });

  it('manual decisions win', () => {
    const result = resolve(records, { newClusterId: counter(), model: once().model, decisions: { cannotLink: [['insurance-1', 'cards-1'], ['insurance-1', 'mortgage-1']], mustLink: [['cards-2', 'mortgage-1']] } });
    const of = (id: string) => result.clusterOf.get(id);
    expect(of('insurance-1')).not.toBe(of('mortgage-1'));
    expect(of('cards-2')).toBe(of('mortgage-1'));
    expect(result.autoLinks.some((l) => l.method === 'manual')).toBe(true);
  });

  it('keeps cluster ids stable across runs', () => {
    const first = once();
    const second = resolve(records, { previous: first.clusterOf, newClusterId: () => 'fresh', model: first.model });
    expect(second.clusterOf).toEqual(first.clusterOf);
    expect(second.retiredClusterIds).toEqual([]);
  });

  it('reuses a stored model only when it fits the comparisons', () => {
    const first = once();
    const stale = { ...first.model, comparisons: first.model.comparisons.slice(1), m: first.model.m.slice(1), u: first.model.u.slice(1), iterations: -1 };
    const rerun = resolve(records, { model: stale, newClusterId: counter() });
    expect(rerun.model.iterations).toBeGreaterThan(0);
    const reused = resolve(records, { model: first.model, newClusterId: counter() });
    expect(reused.model).toBe(first.model);
  });

  it('a cluster holds at most one record of a unique-per-person source', () => {
    const dupes = [
      rec('crm-1', 'crm', { given_name: 'Ann', family_name: 'Smythe', date_of_birth: '1970-01-02', email: 'ann@smythe.org' }),
      rec('crm-2', 'crm', { given_name: 'Ann', family_name: 'Smythe', date_of_birth: '1970-01-02', email: 'ann@smythe.org' }),
    ];
    const linked = resolve([...records, ...dupes], { newClusterId: counter() });
    expect(linked.clusterOf.get('crm-1')).toBe(linked.clusterOf.get('crm-2'));
    const separate = resolve([...records, ...dupes], { newClusterId: counter(), uniqueSources: ['crm'] });
    expect(separate.clusterOf.get('crm-1')).not.toBe(separate.clusterOf.get('crm-2'));
  });
});

describe('resolveIncremental', () => {
  it('matches new records to existing clusters, reusing the model, and agrees with a full run', () => {
    const { gen, records, truth } = population(1500, 5);
    const full = resolve(records, { newClusterId: counter(), explain: false });
    const before = pairwiseScores(records.map((r) => full.clusterOf.get(r.id)!), truth);
    const batch = Array.from({ length: 60 }, (_, k) => gen.another(k * 7, 'wealth'));
    const batchRecords = batch.map((s, k) => ({ id: `new${k}`, source: s.source, person: normalisePerson(s.input, { defaultCountry: 'GB' }).person }));
    const inc = resolveIncremental(full.state, batchRecords, { newClusterId: counter() });
    expect(inc.stats.model.iterations).toBe(full.stats.model.iterations); // same model, not retrained
    expect(inc.stats.pairsCompared).toBeLessThan(full.stats.pairsCompared / 5);
    // every new record joins the cluster that holds its person's original records (if any found)
    const rowsOfTruth = (t: number) => records.filter((_, k) => truth[k] === String(t)).map((r) => r.id);
    let joined = 0;
    for (let k = 0; k < batch.length; k++) {
      const id = inc.clusterOf.get(`new${k}`)!;
      const cluster = inc.clusters.find((c) => c.id === id)!;
      if (rowsOfTruth(batch[k].truth).some((r) => cluster.records.includes(r))) joined++;
    }
    expect(joined / batch.length).toBeGreaterThan(0.9);
    // a full run over everything scores about the same as full + incremental
    const all = [...records, ...batchRecords];
    const allTruth = [...truth, ...batch.map((s) => String(s.truth))];
    const clusterOf = new Map(full.state.table.ids.map((id, row) => [id, full.state.clusterIdOf[row]]));
    const incremental = pairwiseScores(all.map((r) => clusterOf.get(r.id)!), allTruth);
    const rerun = resolve(all, { newClusterId: counter(), explain: false });
    const fullAgain = pairwiseScores(all.map((r) => rerun.clusterOf.get(r.id)!), allTruth);
    expect(incremental.f1).toBeGreaterThan(fullAgain.f1 - 0.02);
    expect(before.f1).toBeGreaterThan(0.9);
  });

  it('a changed record moves to the cluster it now matches, and clusters keep their ids', () => {
    const { records } = population(300, 9);
    const a = rec('a', 'cards', { given_name: 'Priya', family_name: 'Raman', date_of_birth: '1980-02-03', email: 'priya@raman.in' });
    const b = rec('b', 'mortgages', { given_name: 'Priya', family_name: 'Raman', date_of_birth: '1980-02-03', email: 'priya@raman.in' });
    const c = rec('c', 'cards', { given_name: 'Tomasz', family_name: 'Nowakowski', date_of_birth: '1955-10-10', email: 'tn@post.pl' });
    const full = resolve([...records, a, b, c], { newClusterId: counter() });
    const priya = full.clusterOf.get('a')!;
    expect(full.clusterOf.get('b')).toBe(priya);
    // record b was a data-entry mistake: it is really Tomasz
    const changed = rec('b', 'mortgages', { given_name: 'Tomasz', family_name: 'Nowakowski', date_of_birth: '1955-10-10', email: 'tn@post.pl' });
    const inc = resolveIncremental(full.state, [changed], { newClusterId: () => 'fresh' });
    expect(inc.clusterOf.get('b')).toBe(inc.clusterOf.get('c'));
    expect(inc.clusterOf.get('a')).toBe(priya);
    expect(inc.clusterOf.get('c')).toBe(full.clusterOf.get('c'));
  });
});
