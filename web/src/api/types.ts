import type { Schemas } from './client';

export type Me = Schemas['Me'];
export type Customer = Schemas['Customer'];
export type CustomerDetail = Schemas['CustomerDetail'];
export type SourceRecord = Schemas['SourceRecord'];
export type Division = Schemas['Division'];
export type Interaction = Schemas['Interaction'];
export type TouchPoint = Interaction['touchPoint'];

export type Customer360 = Schemas['Customer360'];
export type DivisionRecords = Customer360['sourceRecordsByDivision'][number];
export type RecordOf360 = DivisionRecords['records'][number];
export type Holding = Customer360['holdings'][number];
export type Insight = Customer360['insights'][number];

export type CustomerSort = 'displayName' | '-displayName' | 'createdAt' | '-createdAt' | 'updatedAt' | '-updatedAt';
