import { createHash } from 'node:crypto';

/**
 * The tombstone of an erased source row: a hash of (tenant, source system, external id), so an import can
 * recognise the row coming back without the database keeping who it was.
 */
export const tombstoneHash = (tenantId: string, sourceSystemId: string, externalId: string) =>
  createHash('sha256').update(`${tenantId}\u0000${sourceSystemId}\u0000${externalId}`).digest('hex');
