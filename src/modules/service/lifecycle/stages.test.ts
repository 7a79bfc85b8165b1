import { describe, expect, it } from 'vitest';
import { ConflictError, UnprocessableError, ValidationError } from '../../../core/errors.js';
import { checkMove, checkRules, decideMove, DEFAULT_RULES, dueTimedEvents, initialPosition, measuresFrom, ruleIssues, type HoldingFacts, type StagePosition } from './stages.js';

const at = new Date('2025-06-01T00:00:00Z');
const pos = (stage: StagePosition['stage'], previousStage: StagePosition['previousStage'] = null, daysAgo = 10): StagePosition => ({ stage, previousStage, since: new Date(at.getTime() - daysAgo * 86_400_000) });

describe('lifecycle moves', () => {
  it('rejects forbidden and repeated moves clearly', () => {
    expect(() => checkMove('recruitment', 'account_management')).toThrow(UnprocessableError);
    expect(() => checkMove('recruitment', 'account_management')).toThrow('allowed are welcoming');
    expect(() => checkMove('dissociation', 'intensive_care')).toThrow(UnprocessableError);
    expect(() => checkMove('welcoming', 'welcoming')).toThrow(ConflictError);
    expect(() => checkMove('intensive_care', 'account_management')).not.toThrow();
  });

  it('moves by the default rules: first product, complaint, recovery to the previous stage, closing everything', () => {
    expect(decideMove(pos('recruitment'), 'first_product_opened', DEFAULT_RULES, at)?.to).toBe('welcoming');
    expect(decideMove(pos('account_management'), 'complaint_opened', DEFAULT_RULES, at)).toMatchObject({ to: 'intensive_care', rule: { name: 'complaint' } });
    expect(decideMove(pos('intensive_care', 'getting_to_know'), 'complaint_resolved', DEFAULT_RULES, at)?.to).toBe('getting_to_know');
    const gone = decideMove(pos('account_management'), 'all_products_closed', DEFAULT_RULES, at);
    expect(gone).toMatchObject({ to: 'dissociation', winBackOn: '2025-11-28' });
    expect(decideMove(pos('dissociation'), 'first_product_opened', DEFAULT_RULES, at)?.to).toBe('welcoming');
  });

  it('ignores events no rule covers from the current stage', () => {
    expect(decideMove(pos('recruitment'), 'complaint_opened', DEFAULT_RULES, at)).toBeNull();
    expect(decideMove(pos('dissociation'), 'p_alive_fell', DEFAULT_RULES, at, { pAlive: 0.01 })).toBeNull();
  });

  it('waits for the configured days on timed rules and honours the P(alive) threshold', () => {
    expect(decideMove(pos('welcoming', null, 30), 'onboarding_elapsed', DEFAULT_RULES, at)).toBeNull();
    expect(decideMove(pos('welcoming', null, 91), 'onboarding_elapsed', DEFAULT_RULES, at)?.to).toBe('getting_to_know');
    expect(decideMove(pos('account_management'), 'p_alive_fell', DEFAULT_RULES, at, { pAlive: 0.5 })).toBeNull();
    expect(decideMove(pos('account_management'), 'p_alive_fell', DEFAULT_RULES, at, { pAlive: 0.2 })?.to).toBe('intensive_care');
  });

  it('skips disabled rules', () => {
    const rules = DEFAULT_RULES.map((r) => (r.name === 'complaint' ? { ...r, enabled: false } : r));
    expect(decideMove(pos('account_management'), 'complaint_opened', rules, at)).toBeNull();
  });

  it('lists due timed events, including a win-back date that has come', () => {
    expect(dueTimedEvents({ ...pos('welcoming', null, 100), winBackOn: null }, DEFAULT_RULES, at)).toEqual(['onboarding_elapsed']);
    expect(dueTimedEvents({ ...pos('dissociation', 'account_management', 200), winBackOn: '2025-05-31' }, DEFAULT_RULES, at)).toEqual(['win_back_due']);
    expect(dueTimedEvents({ ...pos('dissociation', 'account_management', 200), winBackOn: '2025-06-02' }, DEFAULT_RULES, at)).toEqual([]);
  });

  it('validates rules against the graph', () => {
    expect(ruleIssues(DEFAULT_RULES)).toEqual([]);
    const bad = [{ name: 'x', event: 'complaint_opened' as const, from: ['recruitment' as const], to: 'intensive_care' as const, enabled: true }, { name: 'x', event: 'onboarding_elapsed' as const, from: ['welcoming' as const], to: 'getting_to_know' as const, enabled: true }];
    expect(ruleIssues(bad).map((i) => i.path)).toEqual(['body/rules/0/to', 'body/rules/1/name', 'body/rules/1/afterDays']);
    expect(() => checkRules(bad)).toThrow(ValidationError);
  });
});

describe('stage measures', () => {
  it('computes conversion, retention and recovery from transition counts', () => {
    const m = measuresFrom(
      [
        { from: 'welcoming', to: 'getting_to_know', count: 8 },
        { from: 'welcoming', to: 'dissociation', count: 2 },
        { from: 'intensive_care', to: 'account_management', count: 3 },
        { from: 'intensive_care', to: 'dissociation', count: 1 },
        { from: null, to: 'recruitment', count: 50 },
      ],
      100,
      3,
    );
    expect(m.conversion.welcoming).toEqual({ getting_to_know: 0.8, dissociation: 0.2 });
    expect(m.recoveryRate).toBe(0.75);
    expect(m.retentionRate).toBe(0.97);
    expect(measuresFrom([], 0, 0)).toMatchObject({ retentionRate: null, recoveryRate: null });
  });
});

describe('initialPosition', () => {
  const h = (over: Partial<HoldingFacts>): HoldingFacts => ({ held: 0, open: 0, firstOpenedOn: null, lastOpenedOn: null, lastClosedOn: null, ...over });
  it('infers the stage from holdings and the timed rules', () => {
    expect(initialPosition(h({}), DEFAULT_RULES, at).stage).toBe('recruitment');
    expect(initialPosition(h({ held: 1, open: 1, firstOpenedOn: '2025-05-01' }), DEFAULT_RULES, at)).toMatchObject({ stage: 'welcoming', since: new Date('2025-05-01T00:00:00Z') });
    expect(initialPosition(h({ held: 1, open: 1, firstOpenedOn: '2025-01-01' }), DEFAULT_RULES, at)).toMatchObject({ stage: 'getting_to_know', since: new Date('2025-04-01T00:00:00Z') });
    expect(initialPosition(h({ held: 2, open: 1, firstOpenedOn: '2010-01-01' }), DEFAULT_RULES, at).stage).toBe('account_management');
    expect(initialPosition(h({ held: 2, open: 0, firstOpenedOn: '2010-01-01', lastClosedOn: '2025-01-10' }), DEFAULT_RULES, at)).toMatchObject({ stage: 'dissociation', winBackOn: '2025-07-09' });
  });
});
