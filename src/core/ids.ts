import { v7 as uuidv7 } from 'uuid';

/** Time-ordered UUIDs keep new rows at the right edge of B-tree indexes and make id order ≈ creation order. */
export const newId = (): string => uuidv7();

export const DEFAULT_TENANT = 'default';
