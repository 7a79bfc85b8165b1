import { describe, expect, it } from 'vitest';
import { decideAssignment, type AssignmentSubject, type StaffMember } from './engine.js';

const MTG = 'mtg-division';
const CARDS = 'cards-division';
const now = new Date('2025-06-02T10:00:00Z');
const person = (userId: string, over: Partial<StaffMember> = {}): StaffMember => ({
  userId,
  displayName: userId,
  teamId: 'brokers',
  divisionIds: [MTG],
  seniority: 3,
  skills: ['mortgages'],
  available: true,
  awayUntil: null,
  openCases: 5,
  capacity: 25,
  ...over,
});
const staff = [
  person('grace', { seniority: 5, skills: ['mortgages', 'home_equity', 'lang:es'], openCases: 12 }),
  person('daniel', { seniority: 4, openCases: 4 }),
  person('kevin', { seniority: 1, openCases: 2 }),
  person('helen', { divisionIds: [CARDS], skills: ['cards'], seniority: 5 }),
];
const subject = (over: Partial<AssignmentSubject> = {}): AssignmentSubject => ({
  kind: 'case',
  caseKind: 'complaint',
  priority: 'high',
  tier: 'rest',
  divisionIds: [MTG],
  productSkills: ['mortgages', 'mortgage'],
  language: null,
  relationshipManagerId: null,
  lastHandlerId: null,
  ...over,
});
const queue = { teamId: null, divisionId: MTG, name: 'the Mortgages queue' };

describe('decideAssignment', () => {
  it('sends a top-value customer to the most senior qualified person, with reasons for everyone', () => {
    const d = decideAssignment(subject({ tier: 'top1' }), staff, queue, now);
    expect(d.outcome).toBe('assigned');
    expect(d.userId).toBe('grace');
    expect(d.reasons[0]).toMatch(/^grace scores .*, ahead of daniel/);
    const kevin = d.candidates.find((c) => c.userId === 'kevin')!;
    expect(kevin.eligible).toBe(false);
    expect(kevin.reasons).toContain('seniority 1 is below the 4 needed for a top 1 % by value customer');
    const helen = d.candidates.find((c) => c.userId === 'helen')!;
    expect(helen.reasons).toEqual(expect.arrayContaining(['does not serve this division']));
    expect(d.candidates.map((c) => c.eligible)).toEqual([true, true, false, false]);
  });

  it('keeps the most senior staff free for small customers’ work, all else equal', () => {
    const d = decideAssignment(subject({ tier: 'rest', caseKind: 'request', priority: 'normal' }), staff.map((s) => ({ ...s, openCases: 5 })), queue, now);
    expect(d.userId).toBe('kevin'); // seniority 1 is closest to the 2 that standard customers are best served at
  });

  it('values continuity: the relationship manager wins, and may serve a tier above their seniority', () => {
    const d = decideAssignment(subject({ tier: 'top1', relationshipManagerId: 'daniel' }), staff, queue, now);
    expect(d.userId).toBe('daniel');
    expect(d.reasons).toContain('the customer’s relationship manager: 1');
    const withJuniorRm = decideAssignment(subject({ tier: 'top1', relationshipManagerId: 'kevin' }), staff, queue, now);
    expect(withJuniorRm.candidates.find((c) => c.userId === 'kevin')?.eligible).toBe(true);
  });

  it('filters on product skill, language, availability and capacity', () => {
    const d = decideAssignment(subject({ productSkills: ['home_equity'], language: 'es' }), staff, queue, now);
    expect(d.userId).toBe('grace');
    const away = staff.map((s) => (s.userId === 'grace' ? { ...s, awayUntil: new Date('2025-06-03T00:00:00Z') } : s));
    const d2 = decideAssignment(subject({ productSkills: ['home_equity'], language: 'es' }), away, queue, now);
    expect(d2.outcome).toBe('queued');
    expect(d2.candidates.find((c) => c.userId === 'grace')?.reasons).toContain('away until 2025-06-03T00:00:00.000Z');
    const full = staff.map((s) => ({ ...s, openCases: s.capacity }));
    expect(decideAssignment(subject(), full, queue, now).candidates[0].reasons).toContain('at capacity (25 of 25 open)');
  });

  it('falls back to the queue, never nowhere, when nobody qualifies or there is nobody', () => {
    const d = decideAssignment(subject({ productSkills: ['yachts'] }), staff, queue, now);
    expect(d).toMatchObject({ outcome: 'queued', userId: null, queue });
    expect(d.reasons[0]).toContain('nobody qualifies');
    expect(decideAssignment(subject(), [], queue, now).reasons[0]).toContain('no staff to choose from');
  });

  it('sends routine questions from standard customers to the general queue, but still explains the candidates', () => {
    const d = decideAssignment(subject({ caseKind: 'question', priority: 'normal', tier: 'rest' }), staff, queue, now);
    expect(d.outcome).toBe('queued');
    expect(d.reasons[0]).toBe('a routine question (normal) from a standard value customer goes to the Mortgages queue');
    expect(d.candidates.some((c) => c.eligible)).toBe(true);
    expect(decideAssignment(subject({ caseKind: 'question', priority: 'normal', tier: 'top5' }), staff, queue, now).outcome).toBe('assigned');
  });

  it('balances workload between otherwise equal people', () => {
    const twins = [person('a', { openCases: 20 }), person('b', { openCases: 2 })];
    expect(decideAssignment(subject(), twins, queue, now).userId).toBe('b');
  });
});
