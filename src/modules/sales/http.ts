import { z } from 'zod';

/** Route config for set-up routes (catalogue, prices, fulfillers, webhooks): administrators only. */
export const SETUP = { access: { resource: 'sales', action: 'admin' as const } };

export const isoDate = z.iso.date();
export const items = <T extends z.ZodType>(s: T) => z.object({ items: z.array(s) });

export const prospectSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    company: z.string().max(200).optional(),
    email: z.email().max(320).optional(),
    phone: z.string().max(40).optional(),
  })
  .meta({ id: 'Prospect' });
