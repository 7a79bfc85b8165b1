import { describe, expect, it } from 'vitest';
import { consolidatedEstimate, consolidatedStatus, lateCause } from './consolidate.js';

const route = (fulfiller: string, promisedDate: string, estimatedDate = promisedDate, status = 'accepted') => ({ fulfiller, promisedDate, estimatedDate, status });

describe('consolidatedEstimate', () => {
  it('moves the order by the slip of the latest component past the latest promised', () => {
    const routes = [route('NLX', '2026-12-03', '2026-12-08'), route('KCD', '2026-12-07')];
    // promised ready 12-07 (KCD), now 12-08: one business day later
    expect(consolidatedEstimate('2026-12-11', routes)).toBe('2026-12-14');
  });

  it('ignores a slip absorbed by slack', () => {
    const routes = [route('NLX', '2026-12-01', '2026-12-04'), route('KCD', '2026-12-07')];
    expect(consolidatedEstimate('2026-12-11', routes)).toBe('2026-12-11');
  });

  it('never moves the promise earlier, and ignores rejected work', () => {
    expect(consolidatedEstimate('2026-12-11', [route('KCD', '2026-12-07', '2026-12-02')])).toBe('2026-12-11');
    expect(consolidatedEstimate('2026-12-11', [route('KCD', '2026-12-07', '2026-12-20', 'rejected')])).toBe('2026-12-11');
  });
});

describe('consolidatedStatus', () => {
  it('is in production once any fulfiller has started, and keeps our own shipping states', () => {
    expect(consolidatedStatus('confirmed', [{ status: 'requested' }, { status: 'requested' }])).toBe('confirmed');
    expect(consolidatedStatus('confirmed', [{ status: 'requested' }, { status: 'accepted' }])).toBe('in_production');
    expect(consolidatedStatus('shipped', [{ status: 'requested' }])).toBe('shipped');
  });
});

describe('lateCause', () => {
  it('names the fulfillers whose work slipped, worst first', () => {
    const c = lateCause('2026-12-11', '2026-12-15', [route('NLX', '2026-12-03', '2026-12-04'), route('KCD', '2026-12-07', '2026-12-09')]);
    expect(c).toEqual({ days: 2, cause: 'delivered 2 business days after the promised 2026-12-11; components late from KCD (2 business days), NLX (1 business day)', worst: 'KCD' });
  });

  it('blames assembly or shipping when every component was on time', () => {
    expect(lateCause('2026-12-11', '2026-12-14', [route('NLX', '2026-12-03')]).cause).toMatch(/assembly or shipping/);
  });
});
