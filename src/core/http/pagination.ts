import { z } from 'zod';
import { ValidationError } from '../errors.js';

/** Opaque keyset cursor: the sort value and id of the last row of the previous page. */
export interface Cursor {
  v: string | number | null;
  id: string;
}

export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    const ok = z.object({ v: z.union([z.string(), z.number(), z.null()]), id: z.uuid() }).safeParse(parsed);
    if (ok.success) return ok.data;
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('cursor is not valid', [{ path: 'query/cursor', message: 'not a cursor from a previous page' }]);
}

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Page size (1–500)'),
  cursor: z.string().max(2000).optional().describe('`nextCursor` from the previous page'),
};

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
