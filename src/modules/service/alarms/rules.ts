/**
 * Neglect alarms, as pure rules over facts the job gathers in bulk. Most customers who leave do so because
 * nobody paid attention; these rules say who is drifting and why, in words a person can act on.
 */
import type { AlarmSettings } from '../settings.js';
import { TIER_LABEL, type ValueTier, type ValueTrend } from '../value.js';

export type AlarmKind = 'neglected' | 'complaint_overdue' | 'p_alive_falling' | 'spend_falling' | 'offer_conflict';
export type Severity = 'info' | 'warning' | 'critical';

export interface RaisedAlarm {
  kind: AlarmKind;
  customerId: string;
  /** What inside the customer the alarm is about; '' for the customer as a whole. */
  subjectKey: string;
  severity: Severity;
  reason: string;
  details: Record<string, unknown>;
  caseId: string | null;
}

/** Contacts that count as paying attention: anything the customer started, and personal outbound contact (not mailings). */
export const MEANINGFUL_OUTBOUND = ['branch', 'call_centre', 'field_service', 'chat', 'mobile'] as const;

export interface CustomerFacts {
  customerId: string;
  tier: ValueTier;
  /** The last meaningful contact: an interaction or a case, whichever is later. */
  lastContactAt: Date | null;
  lastContactWhat: string | null;
  trend: ValueTrend | undefined;
}

const DAY = 86_400_000;
const pct = (x: number) => `${Math.round(x * 100)} %`;
const day = (d: Date) => d.toISOString().slice(0, 10);

export function customerAlarms(f: CustomerFacts, cfg: AlarmSettings, now: Date): RaisedAlarm[] {
  const out: RaisedAlarm[] = [];
  if (cfg.neglectTiers.includes(f.tier)) {
    const silentDays = f.lastContactAt ? Math.floor((now.getTime() - f.lastContactAt.getTime()) / DAY) : null;
    if (silentDays === null || silentDays >= cfg.neglectDays) {
      out.push({
        kind: 'neglected',
        customerId: f.customerId,
        subjectKey: '',
        severity: f.tier === 'top1' ? 'critical' : f.tier === 'top5' ? 'warning' : 'info',
        // Dated, not counted in days, so the reason stays the same from one night to the next (and is not rewritten).
        reason:
          silentDays === null
            ? `${TIER_LABEL[f.tier]} customer with no meaningful contact on record`
            : `${TIER_LABEL[f.tier]} customer with no meaningful contact since ${day(f.lastContactAt!)} (${f.lastContactWhat ?? 'contact'}); the limit is ${cfg.neglectDays} days`,
        details: { tier: f.tier, lastContactAt: f.lastContactAt?.toISOString() ?? null, limitDays: cfg.neglectDays },
        caseId: null,
      });
    }
  }
  const t = f.trend;
  if (t?.pAlive !== undefined) {
    const drop = t.pAlivePrevious !== undefined ? t.pAlivePrevious - t.pAlive : 0;
    if (drop >= cfg.pAliveDrop || (t.pAlive < cfg.pAliveFloor && (t.pAlivePrevious === undefined || t.pAlivePrevious >= cfg.pAliveFloor))) {
      out.push({
        kind: 'p_alive_falling',
        customerId: f.customerId,
        subjectKey: '',
        severity: f.tier === 'rest' ? 'info' : 'warning',
        reason:
          t.pAlivePrevious !== undefined
            ? `the chance this ${TIER_LABEL[f.tier]} customer is still active fell from ${pct(t.pAlivePrevious)} to ${pct(t.pAlive)}`
            : `the chance this ${TIER_LABEL[f.tier]} customer is still active is only ${pct(t.pAlive)}`,
        details: { tier: f.tier, pAlive: t.pAlive, pAlivePrevious: t.pAlivePrevious ?? null },
        caseId: null,
      });
    }
  }
  if (t?.spend !== undefined && t.spendPrevious !== undefined && t.spendPrevious > 0) {
    const fall = (t.spendPrevious - t.spend) / t.spendPrevious;
    if (fall >= cfg.spendDrop) {
      out.push({
        kind: 'spend_falling',
        customerId: f.customerId,
        subjectKey: '',
        severity: f.tier === 'rest' ? 'info' : 'warning',
        reason: `spend fell ${pct(fall)} on the previous period (${t.spendPrevious.toFixed(0)} → ${t.spend.toFixed(0)})`,
        details: { tier: f.tier, spend: t.spend, spendPrevious: t.spendPrevious, fall },
        caseId: null,
      });
    }
  }
  return out;
}

export interface OverdueComplaint {
  caseId: string;
  customerId: string;
  subject: string;
  openedAt: Date;
  firstResponseState: string;
  resolutionState: string;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
}

export function complaintAlarm(c: OverdueComplaint): RaisedAlarm {
  const which = c.resolutionState === 'breached' ? 'resolution' : 'first response';
  return {
    kind: 'complaint_overdue',
    customerId: c.customerId,
    subjectKey: c.caseId,
    severity: 'critical',
    reason: `complaint “${c.subject}” (opened ${day(c.openedAt)}) is past its ${which} SLA: a badly handled complaint is the second reason customers leave`,
    details: { openedAt: c.openedAt.toISOString(), firstResponseState: c.firstResponseState, resolutionState: c.resolutionState },
    caseId: c.caseId,
  };
}

export interface OfferConflict {
  customerId: string;
  offerAccountId: string;
  offerProduct: string;
  offerDivision: string;
  category: string;
  heldProducts: string[];
  heldDivisions: string[];
}

export function offerConflictAlarm(o: OfferConflict): RaisedAlarm {
  return {
    kind: 'offer_conflict',
    customerId: o.customerId,
    subjectKey: o.offerAccountId,
    severity: 'warning',
    reason: `${o.offerDivision} is offering ${o.offerProduct}, but the customer already holds ${o.heldProducts.join(', ')} (${[...new Set(o.heldDivisions)].join(', ')})`,
    details: { category: o.category, offerAccountId: o.offerAccountId, heldProducts: o.heldProducts },
    caseId: null,
  };
}
