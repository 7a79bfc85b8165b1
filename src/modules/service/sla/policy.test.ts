import { describe, expect, it } from 'vitest';
import { defaultPolicy, escalationsFor, selectPolicy, type SlaPolicy } from './policy.js';

const policy = (over: Partial<SlaPolicy>): SlaPolicy => ({ id: over.name ?? 'p', name: 'p', kind: null, priority: null, tier: null, firstResponseMinutes: 60, resolutionMinutes: 600, warnAtFraction: 0.8, escalation: [], ...over });

describe('selectPolicy', () => {
  const policies = [
    policy({ name: 'catch-all', resolutionMinutes: 2400 }),
    policy({ name: 'high', priority: 'high', resolutionMinutes: 1200 }),
    policy({ name: 'top1', tier: 'top1', resolutionMinutes: 240 }),
    policy({ name: 'complaints', kind: 'complaint', resolutionMinutes: 900 }),
    policy({ name: 'top1 high', tier: 'top1', priority: 'high', resolutionMinutes: 120 }),
  ];

  it('prefers the most specific match: tier over priority over kind', () => {
    expect(selectPolicy(policies, { kind: 'complaint', priority: 'high', tier: 'top1' }).name).toBe('top1 high');
    expect(selectPolicy(policies, { kind: 'complaint', priority: 'low', tier: 'top1' }).name).toBe('top1');
    expect(selectPolicy(policies, { kind: 'complaint', priority: 'high', tier: 'rest' }).name).toBe('high');
    expect(selectPolicy(policies, { kind: 'complaint', priority: 'low', tier: 'rest' }).name).toBe('complaints');
    expect(selectPolicy(policies, { kind: 'question', priority: 'low', tier: 'rest' }).name).toBe('catch-all');
  });

  it('breaks ties with the stricter promise', () => {
    const tied = [policy({ name: 'slow', priority: 'high', resolutionMinutes: 900 }), policy({ name: 'fast', priority: 'high', resolutionMinutes: 300 })];
    expect(selectPolicy(tied, { kind: 'request', priority: 'high', tier: 'rest' }).name).toBe('fast');
  });

  it('falls back to defaults that answer valuable customers and complaints faster', () => {
    const rest = selectPolicy([], { kind: 'request', priority: 'normal', tier: 'rest' });
    const top = selectPolicy([], { kind: 'request', priority: 'normal', tier: 'top1' });
    const complaint = defaultPolicy({ kind: 'complaint', priority: 'normal', tier: 'rest' });
    expect(rest.id).toBeNull();
    expect(top.firstResponseMinutes).toBeLessThan(rest.firstResponseMinutes);
    expect(top.resolutionMinutes).toBe(rest.resolutionMinutes / 4);
    expect(complaint.resolutionMinutes).toBeLessThan(rest.resolutionMinutes);
    expect(defaultPolicy({ kind: 'complaint', priority: 'urgent', tier: 'top1' }).firstResponseMinutes).toBeGreaterThanOrEqual(15);
  });
});

describe('escalationsFor', () => {
  const p = defaultPolicy({ kind: 'request', priority: 'normal', tier: 'rest' });
  it('fires rules on entering warning or breached, once', () => {
    expect(escalationsFor(p, { timer: 'resolution', from: 'running', to: 'breached' }).map((r) => r.action).sort()).toEqual(['notify', 'raise_priority']);
    expect(escalationsFor(p, { timer: 'first_response', from: 'running', to: 'warning' })).toEqual([{ on: 'first_response', when: 'warning', action: 'notify', target: 'owner' }]);
    expect(escalationsFor(p, { timer: 'resolution', from: 'breached', to: 'breached' })).toEqual([]);
    expect(escalationsFor(p, { timer: 'resolution', from: 'running', to: 'met' })).toEqual([]);
  });
});
