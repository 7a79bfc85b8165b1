/**
 * Bill Jackson's household (docs: /work/shared/DOMAIN.md, "one customer, many silos"), written exactly so the
 * story can be told on any seed:
 *  - Mortgages knows "William J. Jackson", a borrower for fifteen years with a large balance, who called two days
 *    ago about a home-equity loan and was asked for paperwork the bank already holds;
 *  - Cards knows "JACKSON, BILL", who carries a Platinum Rewards card and is queued for a pre-approved offer of
 *    the very same card;
 *  - at the same address live Margaret ("Peggy") Jackson and their son William, who shares his father's name,
 *    address and home phone but is a different person.
 */
import type { Contact, Holding } from './activity.js';
import { addYears, dayOfYmd } from './dates.js';
import { CARDS, EVERYDAY, MORTGAGES, type DivisionSpec, type RecordFields } from './divisions.js';
import type { Allocator, DemoHousehold } from './generator.js';
import { householdKey, personKey, type Address, type Person } from './people.js';
import { TOWNS } from './vocabulary.js';

export const STORY = {
  householdKey: householdKey(1),
  bill: personKey(1),
  peggy: personKey(2),
  son: personKey(3),
  /** What the story's tests and docs look for. */
  mortgageName: 'William J. Jackson',
  cardName: 'JACKSON, BILL',
  cardProduct: 'CARD_PLATINUM',
} as const;

const HOME: Address = {
  number: 1418,
  street: 'Oak',
  type: ['Lane', 'Ln'],
  unit: null,
  town: TOWNS[0],
  zip: '62704',
  zip4: '3126',
};
const LANDLINE = { area: '217', exchange: '555', line: '0142' };

function person(n: number, fields: Pick<Person, 'sex' | 'given' | 'middle' | 'dob' | 'mobile' | 'email' | 'ssn' | 'wealth' | 'role'>): Person {
  return {
    key: personKey(n),
    householdKey: STORY.householdKey,
    family: 'Jackson',
    address: HOME,
    previousAddress: null,
    landline: LANDLINE,
    altEmail: null,
    engagement: 1,
    ...fields,
  };
}

export function storyHousehold(alloc: Allocator): DemoHousehold {
  const today = alloc.asOfDay;
  const bill = person(1, {
    sex: 'm', given: 'William', middle: 'James', dob: { y: 1961, m: 4, d: 12 }, role: 'head',
    mobile: { area: '217', exchange: '555', line: '0187' }, email: 'bill.jackson@mail.example', ssn: '912-45-6789', wealth: 40,
  });
  const peggy = person(2, {
    sex: 'f', given: 'Margaret', middle: 'Ann', dob: { y: 1963, m: 9, d: 30 }, role: 'partner',
    mobile: { area: '217', exchange: '555', line: '0163' }, email: 'peggy.jackson@inbox.example', ssn: '912-77-1034', wealth: 30,
  });
  const son = person(3, {
    sex: 'm', given: 'William', middle: 'Thomas', dob: { y: 1991, m: 2, d: 14 }, role: 'child',
    mobile: { area: '217', exchange: '555', line: '0119' }, email: 'will.jackson91@post.example', ssn: '912-30-5521', wealth: 0.6,
  });
  const out: DemoHousehold = { key: STORY.householdKey, people: [bill, peggy, son], records: [], accounts: [], interactions: [] };

  const add = (division: DivisionSpec, who: Person, fields: Partial<RecordFields>, quirks: string[], holdings: Holding[], contacts: Contact[]) => {
    const f: RecordFields = {
      number: alloc.recordNumber(division.code), sex: who.sex, given: who.given, middle: null, family: who.family, preferred: null,
      swapped: false, dob: who.dob, address: HOME, phone: who.mobile, email: null, nationalId: null, ...fields,
    };
    const record = alloc.record(division, who, { fields: f, quirks, stale: false }, today - 30);
    out.records.push(record);
    for (const h of holdings) out.accounts.push(alloc.account(record, h));
    for (const c of contacts) out.interactions.push(alloc.interaction(record, c));
    return record;
  };
  const open = (productCode: string, openedDay: number, balance: number): Holding => ({ productCode, status: 'open', openedDay, closedDay: null, balance });
  const talk = (c: Omit<Contact, 'minute' | 'cost'> & { minute?: number; cost?: number }): Contact => ({ minute: 10 * 60 + 12, cost: 6.5, ...c });

  const year = (n: number) => addYears(today, -n);
  add(MORTGAGES, bill, { middle: 'J.', phone: LANDLINE, nationalId: bill.ssn }, [], [open('MTG_FIXED30', year(15), 1_240_000)], [
    talk({ touchPoint: 'call_centre', direction: 'inbound', day: today - 2, minute: 14 * 60 + 5, subject: 'Home-equity loan enquiry', outcome: 'documents_requested', sentiment: -0.5, staffEmail: 'kevin.marsh@demo.rapport' }),
    talk({ touchPoint: 'call_centre', direction: 'outbound', day: today - 420, subject: 'Rate review', outcome: 'no_sale', sentiment: 0.1, staffEmail: 'priya.raman@demo.rapport' }),
    ...[1, 2, 3].map((k) => talk({ touchPoint: 'mail', direction: 'outbound', day: today - 365 * k + 40, subject: 'Annual escrow statement', outcome: 'sent', sentiment: null, cost: 1.3, staffEmail: null })),
  ]);
  add(CARDS, bill, { given: 'Bill', dob: bill.dob, email: bill.email }, ['nickname'], [
    open(STORY.cardProduct, year(8), 3_420.17),
    // The pre-approved offer Card Marketing is about to mail: the card he already carries.
    { productCode: STORY.cardProduct, status: 'offered', openedDay: null, closedDay: null, balance: null },
  ], [
    ...[1, 2, 3, 4, 5, 6].map((k) => talk({ touchPoint: 'email', direction: 'outbound', day: today - 30 * k, subject: 'Monthly statement', outcome: 'sent', sentiment: null, cost: 0.9, staffEmail: null })),
    talk({ touchPoint: 'web', direction: 'inbound', day: today - 75, minute: 21 * 60 + 40, subject: 'Rewards redemption', outcome: 'resolved', sentiment: 0.7, cost: 0.15, staffEmail: null }),
  ]);

  add(CARDS, peggy, { given: 'Peggy', dob: peggy.dob }, ['nickname'], [open('CARD_CASHBACK', year(6), 812.4)], [
    talk({ touchPoint: 'call_centre', direction: 'inbound', day: today - 130, subject: 'Dispute a transaction', outcome: 'resolved', sentiment: 0.2, staffEmail: 'lucy.alvarez@demo.rapport' }),
  ]);
  add(EVERYDAY, peggy, { phone: LANDLINE, email: peggy.email, nationalId: peggy.ssn }, ['household_phone'], [
    open('DDA_CHECKING', year(22), 14_250.0),
    open('DDA_SAVINGS', year(12), 186_400.0),
  ], [
    talk({ touchPoint: 'branch', direction: 'inbound', day: today - 64, subject: 'Cash deposit', outcome: 'completed', sentiment: 0.4, cost: 22, staffEmail: 'emma.novak@demo.rapport' }),
    talk({ touchPoint: 'mobile', direction: 'inbound', day: today - 9, minute: 7 * 60 + 55, subject: 'Balance enquiry', outcome: 'resolved', sentiment: 0.3, cost: 0.1, staffEmail: null }),
  ]);

  // The son: same name as the mortgage borrower, same address and home phone, different birth date.
  add(EVERYDAY, son, { phone: LANDLINE, email: son.email }, ['household_phone'], [open('DDA_CHECKING', addYears(dayOfYmd(son.dob), 18), 2_140.55)], [
    talk({ touchPoint: 'chat', direction: 'inbound', day: today - 21, subject: 'Online banking login help', outcome: 'resolved', sentiment: -0.1, cost: 2.4, staffEmail: 'jake.turner@demo.rapport' }),
  ]);
  return out;
}
