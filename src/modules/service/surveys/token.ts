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

// 128 bits of HMAC-SHA256 (as in RFC 4868's truncation), so that a whole link stays short: the token travels
// as one path segment, and the router caps those at 100 characters.
const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest().subarray(0, 16).toString('base64url');
const VERSION = 1;

/** version (1 byte) | invitation uuid (16) | expiry seconds (uint32 BE) | tenant (UTF-8), base64url; then the MAC. */
export function signSurveyToken(secret: string, claims: SurveyTokenClaims): string {
  const tenant = Buffer.from(claims.t, 'utf8');
  const bytes = Buffer.alloc(21 + tenant.length);
  bytes.writeUInt8(VERSION, 0);
  Buffer.from(claims.i.replace(/-/g, ''), 'hex').copy(bytes, 1);
  bytes.writeUInt32BE(claims.e, 17);
  tenant.copy(bytes, 21);
  const payload = bytes.toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/** Reads the claims without trusting them: the caller needs the tenant to find the secret to verify with. */
export function peekSurveyToken(token: string): SurveyTokenClaims {
  const [payload, mac, extra] = token.split('.');
  if (!payload || !mac || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(payload)) throw new NotFoundError('survey link');
  const bytes = Buffer.from(payload, 'base64url');
  if (bytes.length < 22 || bytes.readUInt8(0) !== VERSION) throw new NotFoundError('survey link');
  const hex = bytes.subarray(1, 17).toString('hex');
  const i = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const t = bytes.subarray(21).toString('utf8');
  // Anything but a plausible tenant id is an altered link; it never reaches a query.
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(t)) throw new NotFoundError('survey link');
  return { t, i, e: bytes.readUInt32BE(17) };
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
