import { describe, expect, it } from 'vitest';
import { ConflictError, UnprocessableError } from '../../../core/errors.js';
import { applyTransition, checkTransition, raisePriority, type CaseClockFacts } from './status.js';

const Z = (s: string) => new Date(s);
const fresh: CaseClockFacts = { status: 'open', openedAt: Z('2025-03-03T09:00:00Z'), firstRespondedAt: null, resolvedAt: null, closedAt: null, waitingPauses: [], resolvedPauses: [] };

describe('case status transitions', () => {
  it('allows the normal path and a reopen after resolution', () => {
    for (const [a, b] of [['open', 'in_progress'], ['in_progress', 'waiting_on_customer'], ['waiting_on_customer', 'in_progress'], ['in_progress', 'resolved'], ['resolved', 'in_progress'], ['resolved', 'closed']] as const) {
      expect(() => checkTransition(a, b)).not.toThrow();
    }
  });

  it('rejects closing twice as a conflict and forbidden moves as unprocessable, naming what is allowed', () => {
    expect(() => checkTransition('closed', 'closed')).toThrow(ConflictError);
    expect(() => checkTransition('closed', 'closed')).toThrow('already closed');
    expect(() => checkTransition('open', 'closed')).toThrow(UnprocessableError);
    expect(() => checkTransition('open', 'closed')).toThrow('it can move to in progress, waiting on customer, resolved');
    expect(() => checkTransition('closed', 'in_progress')).toThrow('a closed case cannot change');
    expect(() => checkTransition('in_progress', 'open')).toThrow(UnprocessableError);
  });

  it('records the first response when the case leaves open, once', () => {
    const a = applyTransition(fresh, 'in_progress', Z('2025-03-03T10:00:00Z'));
    expect(a.firstRespondedAt?.toISOString()).toBe('2025-03-03T10:00:00.000Z');
    const b = applyTransition(applyTransition(a, 'waiting_on_customer', Z('2025-03-03T11:00:00Z')), 'in_progress', Z('2025-03-03T12:00:00Z'));
    expect(b.firstRespondedAt).toEqual(a.firstRespondedAt);
  });

  it('opens and closes waiting pauses, and treats time spent resolved before a reopen as a resolution pause', () => {
    let f = applyTransition(fresh, 'waiting_on_customer', Z('2025-03-03T10:00:00Z'));
    expect(f.waitingPauses).toEqual([{ from: Z('2025-03-03T10:00:00Z'), to: null }]);
    f = applyTransition(f, 'resolved', Z('2025-03-04T10:00:00Z'));
    expect(f.waitingPauses).toEqual([{ from: Z('2025-03-03T10:00:00Z'), to: Z('2025-03-04T10:00:00Z') }]);
    expect(f.resolvedAt?.toISOString()).toBe('2025-03-04T10:00:00.000Z');
    f = applyTransition(f, 'in_progress', Z('2025-03-05T10:00:00Z'));
    expect(f.resolvedAt).toBeNull();
    expect(f.resolvedPauses).toEqual([{ from: Z('2025-03-04T10:00:00Z'), to: Z('2025-03-05T10:00:00Z') }]);
    f = applyTransition(applyTransition(f, 'resolved', Z('2025-03-06T10:00:00Z')), 'closed', Z('2025-03-07T10:00:00Z'));
    expect(f.closedAt?.toISOString()).toBe('2025-03-07T10:00:00.000Z');
    expect(fresh.waitingPauses).toEqual([]); // pure: the input is untouched
  });

  it('raises priority one step and stops at urgent', () => {
    expect(raisePriority('low')).toBe('normal');
    expect(raisePriority('high')).toBe('urgent');
    expect(raisePriority('urgent')).toBe('urgent');
  });
});
