/**
 * Survey links carry a signed token: which invitation (and tenant) it answers and until when, signed with
 * HMAC-SHA256 under the tenant's survey secret. The signature makes links unforgeable and unguessable
 * without a database lookup; single use is enforced by the invitation row (answered once, atomically).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { NotFoundError, UnprocessableError } from '../../../core/errors.js';

export interface SurveyTokenClaims {
  /** Tenant */
  t: string;
  /** Invitation id */
  i: string;
  /** Expiry, seconds since the epoch */
  e: number;
}

const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function signSurveyToken(secret: string, claims: SurveyTokenClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/** Reads the claims without trusting them: the caller needs the tenant to find the secret to verify with. */
export function peekSurveyToken(token: string): SurveyTokenClaims {
  const [payload, mac, extra] = token.split('.');
  if (!payload || !mac || extra !== undefined) throw new NotFoundError('survey link');
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims?.t === 'string' && typeof claims?.i === 'string' && Number.isFinite(claims?.e)) return claims as SurveyTokenClaims;
  } catch {
    // fall through: a malformed link is simply not a link we issued
  }
  throw new NotFoundError('survey link');
}

/** Verifies signature and expiry; a forged or altered link is "not found", never a hint about why. */
export function verifySurveyToken(secret: string, token: string, now: Date): SurveyTokenClaims {
  const claims = peekSurveyToken(token);
  const [payload, mac] = token.split('.');
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new NotFoundError('survey link');
  if (claims.e * 1000 <= now.getTime()) {
    throw new UnprocessableError(`this survey link expired on ${new Date(claims.e * 1000).toISOString()}`, [{ path: 'params/token', message: 'expired' }]);
  }
  return claims;
}
