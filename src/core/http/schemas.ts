import { z } from 'zod';

/** A Date in the code, an ISO 8601 string on the wire (responses are encoded through zod codecs). */
export const isoDateTime = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (s) => new Date(s),
  encode: (d) => d.toISOString(),
});

export const idParams = z.object({ id: z.uuid() });
export const code = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');
export const shortText = z.string().trim().min(1).max(200);
