import type { NormalisedPerson } from './canonical.js';
import type { ResolveRecord } from './comparisons.js';
import { foldText } from './normalise.js';

/**
 * How the golden customer's value of a field is chosen among its records' values. Rules apply in order, each
 * breaking the ties the previous left; the record id breaks the last tie so the result never depends on input order.
 */
export type SurvivorshipRule = 'sourcePriority' | 'mostRecent' | 'mostFrequent' | 'mostComplete';

export type GoldenField = Exclude<keyof NormalisedPerson, 'externalId' | 'searchName'>;

/** Fields that survive together: an address is taken whole from one record, never stitched from several. */
export const FIELD_GROUPS: Record<string, GoldenField[]> = {
  name: ['givenName', 'familyName', 'fullName'],
  address: ['streetNumber', 'addressLine1', 'addressLine2', 'locality', 'postcode', 'region', 'country'],
  dateOfBirth: ['dateOfBirth'],
  email: ['email'],
  phone: ['phone'],
  nationalId: ['nationalId'],
};

export interface SurvivorshipSettings {
  /** Sources in order of trust, most trusted first (unlisted sources come last). */
  sourcePriority: string[];
  /** Rules per field group (keys of FIELD_GROUPS). */
  groups: Record<string, SurvivorshipRule[]>;
}

export function defaultSurvivorship(): SurvivorshipSettings {
  return {
    sourcePriority: [],
    groups: {
      name: ['mostFrequent', 'mostComplete', 'mostRecent'],
      address: ['mostRecent', 'mostComplete', 'mostFrequent'],
      dateOfBirth: ['mostFrequent', 'sourcePriority', 'mostRecent'],
      email: ['mostRecent', 'mostFrequent'],
      phone: ['mostRecent', 'mostFrequent'],
      nationalId: ['sourcePriority', 'mostFrequent', 'mostRecent'],
    },
  };
}

/** Where a surviving value came from. */
export interface Provenance {
  sourceRecordId: string;
  source: string | null;
  division: string | null;
  updatedAt: string | null;
  rule: SurvivorshipRule | 'only value' | 'tie (record id)';
}

export interface GoldenRecord {
  values: Partial<Record<GoldenField, string | null>>;
  provenance: Partial<Record<GoldenField, Provenance>>;
}

function groupKey(r: ResolveRecord, fields: GoldenField[]): string {
  return fields.map((f) => foldText(r.person[f] ?? '')).join('|');
}

function score(rule: SurvivorshipRule, r: ResolveRecord, fields: GoldenField[], ctx: { priority: Map<string, number>; frequency: Map<string, number> }): number {
  switch (rule) {
    case 'sourcePriority':
      return -(ctx.priority.get(r.source ?? '') ?? ctx.priority.size);
    case 'mostRecent':
      return r.updatedAt ? Date.parse(r.updatedAt) || 0 : -Infinity;
    case 'mostFrequent':
      return ctx.frequency.get(groupKey(r, fields)) ?? 0;
    case 'mostComplete':
      return fields.reduce((n, f) => n + (r.person[f] ? 1000 + String(r.person[f]).length : 0), 0);
  }
}

/** Choose the golden value of every field of one cluster, with provenance. */
export function survive(records: readonly ResolveRecord[], settings: SurvivorshipSettings = defaultSurvivorship()): GoldenRecord {
  const values: GoldenRecord['values'] = {};
  const provenance: GoldenRecord['provenance'] = {};
  const priority = new Map(settings.sourcePriority.map((s, i) => [s, i]));
  for (const [group, fields] of Object.entries(FIELD_GROUPS)) {
    const rules = settings.groups[group] ?? ['mostFrequent', 'mostRecent'];
    let candidates = records.filter((r) => fields.some((f) => r.person[f]));
    if (candidates.length === 0) continue;
    const frequency = new Map<string, number>();
    for (const r of candidates) frequency.set(groupKey(r, fields), (frequency.get(groupKey(r, fields)) ?? 0) + 1);
    // The rule credited is the one that narrowed the distinct values to one; later rules only pick which of
    // several records holding that same value is cited.
    const distinct = (rs: ResolveRecord[]) => new Set(rs.map((r) => groupKey(r, fields))).size;
    let decidedBy: Provenance['rule'] = distinct(candidates) === 1 ? 'only value' : 'tie (record id)';
    for (const rule of rules) {
      if (candidates.length === 1) break;
      const before = distinct(candidates);
      const scores = candidates.map((r) => score(rule, r, fields, { priority, frequency }));
      const best = Math.max(...scores);
      candidates = candidates.filter((_, i) => scores[i] === best);
      if (before > 1 && distinct(candidates) === 1) decidedBy = rule;
    }
    const winner = candidates.reduce((x, y) => (y.id < x.id ? y : x));
    for (const f of fields) {
      const v = winner.person[f];
      if (v === null || v === undefined || v === '') continue;
      values[f] = v;
      provenance[f] = { sourceRecordId: winner.id, source: winner.source ?? null, division: winner.division ?? null, updatedAt: winner.updatedAt ?? null, rule: decidedBy };
    }
  }
  return { values, provenance };
}
