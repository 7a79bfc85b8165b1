/**
 * What each record holds (accounts) and how each division has been in touch with it over three years
 * (interactions). Money and contact are skewed by the person's wealth and engagement.
 */
import type { TouchPoint } from '../interactions/schema.js';
import type { DivisionCode } from './divisions.js';
import type { Person } from './people.js';
import type { Random } from './random.js';
import { ageOn } from './people.js';
import { staffOf, type StaffSpec } from './staff.js';

export type AccountStatus = 'open' | 'closed' | 'offered';

export interface Holding {
  productCode: string;
  status: AccountStatus;
  openedDay: number | null;
  closedDay: number | null;
  balance: number | null;
}

export interface Contact {
  touchPoint: TouchPoint;
  direction: 'inbound' | 'outbound';
  day: number;
  minute: number;
  subject: string;
  outcome: string | null;
  sentiment: number | null;
  cost: number;
  staffEmail: string | null;
}

const YEAR = 365;
const money = (x: number) => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** A day the person could have opened something: adult by then, within `maxYears` before asOf. */
function openingDay(rnd: Random, p: Person, asOfDay: number, minYears: number, maxYears: number): number {
  const adultYears = Math.max(minYears + 0.2, ageOn(p, asOfDay) - 18);
  const years = minYears + rnd.next() * (Math.min(maxYears, adultYears) - minYears);
  return asOfDay - Math.round(years * YEAR);
}

function closed(rnd: Random, opened: number, asOfDay: number): number {
  return opened + Math.round(rnd.next() * (asOfDay - opened - 30)) + 15;
}

/** The products one source record holds. A stale record (old address) mostly shows closed products. */
export function holdingsFor(division: DivisionCode, p: Person, stale: boolean, rnd: Random, asOfDay: number): Holding[] {
  const out: Holding[] = [];
  const w = p.wealth;
  const add = (productCode: string, opened: number, balance: number, closeRate: number) => {
    const isClosed = stale ? rnd.chance(0.8) : rnd.chance(closeRate);
    out.push({
      productCode,
      status: isClosed ? 'closed' : 'open',
      openedDay: opened,
      closedDay: isClosed ? closed(rnd, opened, asOfDay) : null,
      balance: isClosed ? 0 : money(balance),
    });
  };
  switch (division) {
    case 'MORTGAGES': {
      const opened = openingDay(rnd, p, asOfDay, 0.5, 25);
      const years = (asOfDay - opened) / YEAR;
      const principal = clamp(rnd.logNormal(240_000 * Math.sqrt(w), 0.35), 60_000, 4_000_000);
      add(rnd.chance(0.8) ? 'MTG_FIXED30' : 'MTG_ARM51', opened, principal * Math.pow(Math.max(0, 1 - years / 30), 0.8), 0.05);
      if (rnd.chance(0.08 + 0.02 * Math.log1p(w))) add('MTG_HELOC', openingDay(rnd, p, asOfDay, 0.2, Math.max(0.5, years)), rnd.logNormal(45_000, 0.6), 0.1);
      break;
    }
    case 'CARDS': {
      const limit = clamp(rnd.logNormal(6_000 * Math.pow(w, 0.5), 0.5), 500, 100_000);
      const product = w > 3 && rnd.chance(0.6) ? 'CARD_PLATINUM' : rnd.chance(0.5) ? 'CARD_CASHBACK' : 'CARD_CLASSIC';
      add(product, openingDay(rnd, p, asOfDay, 0.2, 20), limit * rnd.next() * rnd.next(), 0.06);
      if (rnd.chance(0.15)) add(rnd.pick(['CARD_CLASSIC', 'CARD_CASHBACK', 'CARD_PLATINUM']), openingDay(rnd, p, asOfDay, 0.1, 10), limit * 0.3 * rnd.next(), 0.15);
      break;
    }
    case 'EVERYDAY': {
      if (rnd.chance(0.95)) add('DDA_CHECKING', openingDay(rnd, p, asOfDay, 0.1, 40), rnd.logNormal(2_500 * w, 0.8), 0.04);
      if (rnd.chance(0.5)) add('DDA_SAVINGS', openingDay(rnd, p, asOfDay, 0.1, 30), rnd.logNormal(9_000 * Math.pow(w, 1.2), 0.9), 0.08);
      if (rnd.chance(0.1)) add('DDA_CD12', openingDay(rnd, p, asOfDay, 0.1, 1), rnd.logNormal(25_000 * w, 0.5), 0.2);
      if (rnd.chance(0.08)) add('LOAN_PERSONAL', openingDay(rnd, p, asOfDay, 0.1, 5), rnd.logNormal(12_000, 0.5), 0.3);
      if (!out.length) add('DDA_CHECKING', openingDay(rnd, p, asOfDay, 0.1, 40), rnd.logNormal(2_500 * w, 0.8), 0.04);
      break;
    }
    case 'WEALTH': {
      add('WM_MANAGED', openingDay(rnd, p, asOfDay, 0.3, 20), rnd.logNormal(120_000 * Math.pow(w, 1.3), 0.7), 0.05);
      if (rnd.chance(0.4)) add('WM_IRA', openingDay(rnd, p, asOfDay, 0.3, 25), rnd.logNormal(90_000 * w, 0.6), 0.03);
      if (rnd.chance(0.25)) add('WM_BROKERAGE', openingDay(rnd, p, asOfDay, 0.1, 10), rnd.logNormal(40_000 * w, 1), 0.1);
      break;
    }
    case 'INSURANCE': {
      // Policies carry the annual premium as their balance.
      const home = rnd.chance(0.6);
      if (home) add('INS_HOME', openingDay(rnd, p, asOfDay, 0.1, 20), rnd.logNormal(1_400 * Math.pow(w, 0.3), 0.3), 0.08);
      if (!home || rnd.chance(0.6)) add('INS_AUTO', openingDay(rnd, p, asOfDay, 0.1, 15), rnd.logNormal(1_100, 0.35), 0.12);
      if (rnd.chance(0.25)) add('INS_LIFE', openingDay(rnd, p, asOfDay, 0.5, 25), rnd.logNormal(480 * Math.pow(w, 0.4), 0.4), 0.05);
      break;
    }
  }
  return out;
}

/**
 * Campaign offers, chosen by each division on its own data: Cards mails pre-approved cards without looking at
 * what the person already carries, which is how Bill Jackson gets offered his own card.
 */
export function offersFor(division: DivisionCode, rnd: Random): Holding[] {
  const offer = (productCode: string): Holding[] => [{ productCode, status: 'offered', openedDay: null, closedDay: null, balance: null }];
  if (division === 'CARDS' && rnd.chance(0.04)) return offer(rnd.pick(['CARD_CLASSIC', 'CARD_CASHBACK', 'CARD_PLATINUM']));
  if (division === 'EVERYDAY' && rnd.chance(0.02)) return offer('DDA_SAVINGS');
  if (division === 'INSURANCE' && rnd.chance(0.02)) return offer('INS_LIFE');
  return [];
}

interface SubjectSpec {
  subject: string;
  weight: number;
  direction: 'inbound' | 'outbound';
  touch: readonly (readonly [TouchPoint, number])[];
  outcomes: readonly (readonly [string, number])[];
  /** Mean sentiment of the conversation; null for one-way mailings, which carry none. */
  sentiment: number | null;
}

const s = (subject: string, weight: number, direction: 'inbound' | 'outbound', touch: SubjectSpec['touch'], outcomes: SubjectSpec['outcomes'], sentiment: number | null): SubjectSpec =>
  ({ subject, weight, direction, touch, outcomes, sentiment });

export const SUBJECTS: Record<DivisionCode, readonly SubjectSpec[]> = {
  MORTGAGES: [
    s('Payment schedule question', 5, 'inbound', [['call_centre', 6], ['web', 2], ['email', 2]], [['resolved', 8], ['callback_promised', 2]], 0.1),
    s('Annual escrow statement', 4, 'outbound', [['mail', 7], ['email', 3]], [['sent', 1]], null),
    s('Rate review', 2, 'outbound', [['call_centre', 6], ['branch', 4]], [['sale', 3], ['no_sale', 5], ['callback_promised', 2]], 0.2),
    s('Overpayment request', 2, 'inbound', [['web', 5], ['call_centre', 5]], [['resolved', 1]], 0.3),
    s('Property valuation visit', 1, 'outbound', [['field_service', 1]], [['completed', 9], ['rescheduled', 1]], 0.2),
    s('Home-equity loan enquiry', 1.5, 'inbound', [['call_centre', 6], ['branch', 4]], [['application_started', 3], ['documents_requested', 4], ['no_sale', 3]], 0),
    s('Complaint: payment misapplied', 0.6, 'inbound', [['call_centre', 6], ['email', 4]], [['resolved', 5], ['escalated', 3], ['complaint_logged', 2]], -0.6),
    s('Payment holiday request', 0.5, 'inbound', [['call_centre', 1]], [['arrangement_agreed', 6], ['referred', 4]], -0.3),
  ],
  CARDS: [
    s('Monthly statement', 6, 'outbound', [['email', 6], ['mail', 4]], [['sent', 1]], null),
    s('Lost or stolen card', 1.5, 'inbound', [['call_centre', 5], ['mobile', 4], ['web', 1]], [['card_replaced', 1]], -0.2),
    s('Dispute a transaction', 1.5, 'inbound', [['call_centre', 5], ['web', 3], ['chat', 2]], [['resolved', 5], ['escalated', 2], ['complaint_logged', 1]], -0.4),
    s('Credit limit increase', 1.5, 'inbound', [['mobile', 4], ['web', 3], ['call_centre', 3]], [['approved', 5], ['declined', 3]], 0.1),
    s('Pre-approved card offer', 1.5, 'outbound', [['mail', 7], ['email', 3]], [['sent', 1]], null),
    s('Fraud alert', 1, 'outbound', [['mobile', 5], ['call_centre', 3]], [['confirmed_genuine', 8], ['fraud_confirmed', 2]], -0.1),
    s('Rewards redemption', 1.5, 'inbound', [['web', 5], ['mobile', 5]], [['resolved', 1]], 0.6),
    s('Balance transfer enquiry', 0.8, 'inbound', [['call_centre', 5], ['chat', 5]], [['sale', 3], ['no_sale', 5]], 0.1),
  ],
  EVERYDAY: [
    s('Balance enquiry', 5, 'inbound', [['mobile', 5], ['kiosk', 3], ['call_centre', 2]], [['resolved', 1]], 0.2),
    s('Cash deposit', 4, 'inbound', [['branch', 6], ['kiosk', 4]], [['completed', 1]], 0.3),
    s('Change of address', 1, 'inbound', [['branch', 4], ['web', 4], ['call_centre', 2]], [['resolved', 1]], 0.1),
    s('Overdraft fee complaint', 1, 'inbound', [['call_centre', 5], ['branch', 3], ['chat', 2]], [['refund_given', 4], ['complaint_logged', 3], ['escalated', 1], ['no_action', 2]], -0.6),
    s('Savings account offer', 1.5, 'outbound', [['email', 5], ['mail', 3], ['branch', 2]], [['sent', 6], ['sale', 2], ['no_sale', 2]], null),
    s('Open savings account', 0.8, 'inbound', [['branch', 5], ['web', 5]], [['sale', 1]], 0.5),
    s('Personal loan application', 0.8, 'inbound', [['branch', 4], ['web', 4], ['call_centre', 2]], [['approved', 5], ['declined', 3], ['documents_requested', 2]], 0.1),
    s('Online banking login help', 1.5, 'inbound', [['call_centre', 6], ['chat', 4]], [['resolved', 9], ['callback_promised', 1]], -0.1),
    s('Satisfaction survey', 1, 'outbound', [['email', 1]], [['responded', 3], ['no_response', 7]], 0.3),
  ],
  WEALTH: [
    s('Quarterly portfolio review', 4, 'outbound', [['branch', 5], ['field_service', 2], ['call_centre', 3]], [['completed', 9], ['rescheduled', 1]], 0.5),
    s('Rebalancing instruction', 2, 'inbound', [['email', 6], ['call_centre', 4]], [['completed', 1]], 0.3),
    s('Quarterly statement', 4, 'outbound', [['mail', 5], ['email', 5]], [['sent', 1]], null),
    s('Retirement planning meeting', 1, 'inbound', [['branch', 7], ['field_service', 3]], [['sale', 3], ['follow_up', 5]], 0.5),
    s('Fee complaint', 0.5, 'inbound', [['email', 5], ['call_centre', 5]], [['resolved', 4], ['escalated', 2]], -0.5),
    s('Market update', 3, 'outbound', [['email', 1]], [['sent', 1]], null),
    s('Estate planning enquiry', 0.6, 'inbound', [['branch', 5], ['call_centre', 5]], [['referred', 1]], 0.3),
  ],
  INSURANCE: [
    s('Policy renewal', 4, 'outbound', [['mail', 5], ['email', 3], ['call_centre', 2]], [['renewed', 7], ['lapsed', 1], ['no_response', 2]], 0.1),
    s('Home claim', 0.8, 'inbound', [['call_centre', 5], ['web', 2], ['field_service', 3]], [['claim_opened', 5], ['claim_paid', 3], ['claim_declined', 2]], -0.3),
    s('Auto claim', 1, 'inbound', [['call_centre', 5], ['mobile', 2], ['field_service', 3]], [['claim_opened', 5], ['claim_paid', 4], ['claim_declined', 1]], -0.2),
    s('Quote request', 1.5, 'inbound', [['web', 5], ['call_centre', 3], ['chat', 2]], [['sale', 3], ['no_sale', 7]], 0.1),
    s('Premium increase complaint', 0.7, 'inbound', [['call_centre', 6], ['email', 4]], [['retained', 4], ['complaint_logged', 3], ['cancelled', 2]], -0.6),
    s('Change of vehicle', 0.8, 'inbound', [['web', 5], ['call_centre', 5]], [['resolved', 1]], 0.2),
    s('Payment reminder', 1.5, 'outbound', [['mail', 5], ['email', 5]], [['sent', 1]], null),
  ],
};

/** Contacts per record over three years, before engagement and wealth scale it. */
const CONTACT_RATE: Record<DivisionCode, number> = { MORTGAGES: 2.5, CARDS: 3.5, EVERYDAY: 5, WEALTH: 7, INSURANCE: 2 };

/** Handling cost in dollars per contact: a branch visit or a field visit costs far more than an app session. */
export const TOUCH_COST: Record<TouchPoint, number> = {
  branch: 22, call_centre: 6.5, web: 0.15, email: 0.9, kiosk: 1.1, field_service: 85, mobile: 0.1, chat: 2.4, mail: 1.3,
};

const STAFFED: ReadonlySet<TouchPoint> = new Set(['branch', 'call_centre', 'field_service', 'chat']);
const SELF_SERVICE: ReadonlySet<TouchPoint> = new Set(['web', 'mobile', 'kiosk']);

const rosters = new Map<DivisionCode, { seniors: StaffSpec[]; juniors: StaffSpec[] }>();
function roster(division: DivisionCode) {
  let r = rosters.get(division);
  if (!r) {
    const all = staffOf(division);
    r = { seniors: all.filter((m) => m.seniority >= 4), juniors: all.filter((m) => m.seniority < 4) };
    rosters.set(division, r);
  }
  return r;
}

/** A contact as the division logged it. */
export function contact(rnd: Random, spec: SubjectSpec, day: number, staffEmail: string | null): Contact {
  const touchPoint = rnd.weighted(spec.touch);
  const minute = SELF_SERVICE.has(touchPoint) ? rnd.int(6 * 60, 23 * 60 + 30) : rnd.int(8 * 60 + 30, 18 * 60);
  return {
    touchPoint,
    direction: spec.direction,
    day,
    minute,
    subject: spec.subject,
    outcome: rnd.weighted(spec.outcomes),
    sentiment: spec.sentiment === null ? null : Math.round(clamp(spec.sentiment + 0.3 * rnd.normal(), -1, 1) * 100) / 100,
    cost: money(TOUCH_COST[touchPoint] * rnd.logNormal(1, 0.25)),
    staffEmail: STAFFED.has(touchPoint) || (touchPoint === 'email' && spec.direction === 'inbound') ? staffEmail : null,
  };
}

/**
 * Three years of contact with one record. Valuable people are usually served by seniors and mostly by the same
 * person (continuity is part of the relationship); everyone else by whoever is free.
 */
export function contactsFor(division: DivisionCode, p: Person, stale: boolean, firstDay: number, rnd: Random, asOfDay: number): Contact[] {
  const start = Math.max(asOfDay - 3 * YEAR, firstDay);
  if (start >= asOfDay) return [];
  const span = asOfDay - start;
  const mean = CONTACT_RATE[division] * p.engagement * (1 + 0.25 * Math.log1p(p.wealth)) * (span / (3 * YEAR)) * (stale ? 0.25 : 1);
  const n = rnd.poisson(mean);
  if (!n) return [];
  const { seniors, juniors } = roster(division);
  const valuable = p.wealth > 4;
  const usual = valuable && rnd.chance(0.7) ? rnd.pick(seniors) : rnd.pick(juniors);
  const subjects = SUBJECTS[division];
  const table = subjects.map((spec) => [spec, spec.weight] as const);
  const out: Contact[] = [];
  for (let i = 0; i < n; i++) {
    const spec = rnd.weighted(table);
    // Stale records only saw contact before the household moved and stopped answering.
    const day = stale ? start + Math.floor(rnd.next() * rnd.next() * span) : start + Math.floor(rnd.next() * span);
    const who = rnd.chance(0.6) ? usual : valuable && rnd.chance(0.5) ? rnd.pick(seniors) : rnd.pick(juniors);
    out.push(contact(rnd, spec, day, who.email));
  }
  return out;
}

export const subjectSpec = (division: DivisionCode, subject: string): SubjectSpec => {
  const hit = SUBJECTS[division].find((x) => x.subject === subject);
  if (!hit) throw new Error(`no subject ${subject} in ${division}`);
  return hit;
};
