import { signPayload, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.js';

export interface SendResult {
  ok: boolean;
  /** null when no response came back (refused, reset, timed out). */
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export interface SendOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Unix seconds signed into the request; now unless a test pins it. */
  unixSeconds?: number;
  headers?: Record<string, string>;
}

export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

/**
 * POSTs one signed JSON body. Never throws: a refused connection, a receiver that hangs past the timeout and a
 * non-2xx answer all come back as a failed result the caller logs and retries.
 */
export async function sendSigned(url: string, secret: string, body: string, opts: SendOptions = {}): Promise<SendResult> {
  const unixSeconds = opts.unixSeconds ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  try {
    const res = await (opts.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Rapport-Webhooks/1',
        [SIGNATURE_HEADER]: signPayload(secret, body, unixSeconds),
        [TIMESTAMP_HEADER]: String(unixSeconds),
        ...opts.headers,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS),
    });
    // Drain the body so the connection is released; receivers' answers are not kept (they may echo data).
    await res.arrayBuffer().catch(() => undefined);
    const latencyMs = Math.round(performance.now() - started);
    return res.ok ? { ok: true, statusCode: res.status, latencyMs, error: null } : { ok: false, statusCode: res.status, latencyMs, error: `HTTP ${res.status}` };
  } catch (err) {
    const latencyMs = Math.round(performance.now() - started);
    const e = err as Error & { cause?: { code?: string } };
    const message = e.name === 'TimeoutError' ? `timed out after ${opts.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS} ms` : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}`;
    return { ok: false, statusCode: null, latencyMs, error: message.slice(0, 500) };
  }
}

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 60_000, capMs: 6 * 3600_000 };

/**
 * Delay before retry number `failures` (1 = after the first failure): exponential, capped, with "equal jitter"
 * (half fixed, half random) so receivers that fail together are not hit again in lockstep, while the delay
 * still grows with every failure (AWS Architecture Blog, "Exponential Backoff and Jitter", 2015).
 */
export function backoffMs(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
