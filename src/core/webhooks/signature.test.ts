import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from './signature.js';

describe('webhook signatures', () => {
  const body = JSON.stringify({ eventId: 'e1', status: 'shipped' });
  const now = 1_764_500_000;

  it('verifies what it signed', () => {
    expect(verifySignature('s3cret', signPayload('s3cret', body, now), body, now)).toEqual({ ok: true });
  });

  it('rejects another secret, a changed body, a stale time and malformed headers', () => {
    const header = signPayload('s3cret', body, now);
    expect(verifySignature('other', header, body, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature('s3cret', header, body.replace('shipped', 'delivered'), now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature('s3cret', header, body, now + 301)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature('s3cret', undefined, body, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature('s3cret', 'v1=abc', body, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature('s3cret', `t=${now},v1=${'0'.repeat(64)}`, body, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('signs the time, so a replay with a fresh time does not verify', () => {
    const header = signPayload('s3cret', body, now);
    const mac = header.split('v1=')[1];
    expect(verifySignature('s3cret', `t=${now + 600},v1=${mac}`, body, now + 600)).toEqual({ ok: false, reason: 'mismatch' });
  });
});
