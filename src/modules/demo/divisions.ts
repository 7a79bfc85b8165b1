/**
 * The five divisions of the demo bank. Each runs its own system with its own record layout (`write`) and its own
 * habits when it writes a person down (`observe`): the same person comes out differently in each.
 */
import type { CanonicalInput } from '../identity/canonical.js';
import { compactDate, isoDate, oracleDate, usDate, type Ymd } from './dates.js';
import { formatPhone, mistypeDate, nickname, streetLine, transposeDigits, typo, upper, type PhoneStyle } from './habits.js';
import { ageOn, type Address, type Person, type Phone } from './people.js';
import type { Random } from './random.js';
import { TITLES_FEMALE, TITLES_MALE } from './vocabulary.js';

export type DivisionCode = 'MORTGAGES' | 'CARDS' | 'EVERYDAY' | 'WEALTH' | 'INSURANCE';
export const DIVISION_CODES: readonly DivisionCode[] = ['MORTGAGES', 'CARDS', 'EVERYDAY', 'WEALTH', 'INSURANCE'];

export interface ProductSpec {
  code: string;
  name: string;
  category: string;
}

/** What a division's system holds about a person, before it is laid out in the system's own columns. */
export interface RecordFields {
  number: number;
  sex: 'm' | 'f';
  given: string;
  middle: string | null;
  family: string;
  /** A name the person asked to be called (Wealth keeps it beside the legal name). */
  preferred: string | null;
  /** Given and family were keyed into each other's fields. */
  swapped: boolean;
  dob: Ymd | null;
  address: Address;
  phone: Phone | null;
  email: string | null;
  nationalId: string | null;
}

export interface WrittenRecord {
  externalId: string;
  /** The row as the division's system exports it. */
  raw: Record<string, unknown>;
  /** The same row through an import mapping: raw strings keyed by canonical field, not yet normalised. */
  canonical: CanonicalInput;
}

export interface Observation {
  fields: RecordFields;
  quirks: string[];
  /** The record still shows the household's previous address: its products there are mostly closed. */
  stale: boolean;
}

export interface DivisionSpec {
  code: DivisionCode;
  name: string;
  source: { code: string; name: string; uniquePerPerson: boolean; priority: number };
  /** Documented on source_systems.layout so a reader of the database sees what each column means. */
  layout: { columns: string[]; dateFormat: string; nameFormat: string; phoneFormat: string; notes: string };
  /** Formats for the importer's date parser, in the normaliser's notation. */
  dateFormats: string[];
  products: ProductSpec[];
  /** How many records this system holds for the person: 0, 1, or 2 for a system that duplicates people. */
  recordsFor(p: Person, rnd: Random, asOfDay: number): number;
  observe(p: Person, rnd: Random, number: number, duplicate: boolean): Observation;
  write(f: RecordFields): WrittenRecord;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function pickAddress(p: Person, rnd: Random, staleRate: number, quirks: string[]): Address {
  if (p.previousAddress && rnd.chance(staleRate)) {
    quirks.push('old_address');
    return p.previousAddress;
  }
  return p.address;
}

function pickDob(p: Person, rnd: Random, missing: number, mistyped: number, quirks: string[]): Ymd | null {
  if (rnd.chance(missing)) {
    quirks.push('missing_dob');
    return null;
  }
  if (rnd.chance(mistyped)) {
    quirks.push('mistyped_dob');
    return mistypeDate(rnd, p.dob);
  }
  return p.dob;
}

function pickGiven(p: Person, rnd: Random, nicknameRate: number, quirks: string[]): string {
  if (rnd.chance(nicknameRate)) {
    const nick = nickname(rnd, p.given);
    if (nick) {
      quirks.push('nickname');
      return nick;
    }
  }
  return p.given;
}

function maybeTypo(value: string, rnd: Random, rate: number, quirks: string[], label: string): string {
  if (!rnd.chance(rate)) return value;
  const slipped = typo(rnd, value);
  if (slipped !== value) quirks.push(`typo_${label}`);
  return slipped;
}

function pickPhone(p: Person, rnd: Random, missing: number, preferLandline: number, quirks: string[]): Phone | null {
  if (rnd.chance(missing)) {
    quirks.push('missing_phone');
    return null;
  }
  if (p.landline && rnd.chance(preferLandline)) {
    quirks.push('household_phone');
    return p.landline;
  }
  return p.mobile;
}

function pickEmail(p: Person, rnd: Random, present: number, quirks: string[]): string | null {
  if (!rnd.chance(present)) return null;
  if (p.altEmail && rnd.chance(0.3)) {
    quirks.push('alternate_email');
    return p.altEmail;
  }
  return p.email;
}

const titleFor = (f: RecordFields, number: number) => (f.sex === 'm' ? TITLES_MALE : TITLES_FEMALE)[number % (f.sex === 'm' ? TITLES_MALE.length : TITLES_FEMALE.length)];

const baseFields = (p: Person, number: number): RecordFields => ({
  number, sex: p.sex, given: p.given, middle: p.middle, family: p.family, preferred: null, swapped: false,
  dob: p.dob, address: p.address, phone: p.mobile, email: null, nationalId: null,
});

const adult = (p: Person, asOfDay: number, min = 18) => ageOn(p, asOfDay) >= min;

export const MORTGAGES: DivisionSpec = {
  code: 'MORTGAGES',
  name: 'Mortgages',
  source: { code: 'mortgage_servicing', name: 'Mortgage servicing platform', uniquePerPerson: true, priority: 2 },
  layout: {
    columns: ['borrower_id', 'first_name', 'middle_name', 'last_name', 'date_of_birth', 'ssn_last4', 'property_address{street,unit,city,state,zip}', 'home_phone', 'origination_channel'],
    dateFormat: 'YYYY-MM-DD',
    nameFormat: 'given, middle and family in separate columns, as on the loan deed',
    phoneFormat: '217-555-0142',
    notes: 'Legal names from loan documents; only the last four SSN digits; the property address, which is the old one once a loan is paid off after a move.',
  },
  dateFormats: ['YYYY-MM-DD'],
  products: [
    { code: 'MTG_FIXED30', name: '30-year fixed-rate mortgage', category: 'mortgage' },
    { code: 'MTG_ARM51', name: '5/1 adjustable-rate mortgage', category: 'mortgage' },
    { code: 'MTG_HELOC', name: 'Home equity line of credit', category: 'loan' },
  ],
  recordsFor(p, rnd, asOfDay) {
    if (p.role === 'child') return adult(p, asOfDay, 25) && rnd.chance(0.05) ? 1 : 0;
    if (!adult(p, asOfDay, 26)) return 0;
    return rnd.chance(Math.min(0.6, 0.32 + 0.05 * Math.log1p(p.wealth))) ? 1 : 0;
  },
  observe(p, rnd, number) {
    const quirks: string[] = [];
    const address = pickAddress(p, rnd, 0.35, quirks);
    const fields: RecordFields = {
      ...baseFields(p, number),
      given: maybeTypo(p.given, rnd, 0.01, quirks, 'given'),
      family: maybeTypo(p.family, rnd, 0.01, quirks, 'family'),
      // Half the deeds carry only the middle initial.
      middle: p.middle && rnd.chance(0.5) ? `${p.middle[0]}.` : p.middle,
      dob: pickDob(p, rnd, 0.02, 0.01, quirks),
      address,
      phone: pickPhone(p, rnd, 0.05, 0.7, quirks),
      nationalId: p.ssn,
    };
    return { fields, quirks, stale: address !== p.address };
  },
  write(f) {
    const externalId = `B${pad(f.number, 8)}`;
    const phone = f.phone ? formatPhone(f.phone, 'dashed') : null;
    const dob = f.dob ? isoDate(f.dob) : null;
    const street = streetLine(f.address);
    return {
      externalId,
      raw: {
        borrower_id: externalId,
        first_name: f.given,
        middle_name: f.middle,
        last_name: f.family,
        date_of_birth: dob,
        ssn_last4: f.nationalId ? f.nationalId.slice(-4) : null,
        property_address: { street, unit: f.address.unit, city: f.address.town.name, state: f.address.town.region, zip: f.address.zip },
        home_phone: phone,
        origination_channel: f.number % 3 === 0 ? 'broker' : 'branch',
      },
      canonical: {
        external_id: externalId,
        given_name: f.given,
        family_name: f.family,
        full_name: [f.given, f.middle, f.family].filter(Boolean).join(' '),
        date_of_birth: dob,
        phone,
        address_line1: street,
        address_line2: f.address.unit,
        locality: f.address.town.name,
        region: f.address.town.region,
        postcode: f.address.zip,
        country: 'US',
      },
    };
  },
};

export const CARDS: DivisionSpec = {
  code: 'CARDS',
  name: 'Cards',
  source: { code: 'card_platform', name: 'Card processing platform', uniquePerPerson: true, priority: 4 },
  layout: {
    columns: ['CARDHOLDER_ID', 'CARDHOLDER_NAME', 'EMBOSS_NAME', 'BIRTH_DT', 'ADDR_LINE_1', 'ADDR_LINE_2', 'CITY', 'STATE', 'ZIP', 'PHONE', 'EMAIL_ADDR', 'CREDIT_LIMIT'],
    dateFormat: 'MM/DD/YYYY',
    nameFormat: '"FAMILY, GIVEN" in upper case, as the customer wrote it on the application',
    phoneFormat: '(217) 555-0142',
    notes: 'Nicknames are common (the name people sign with); birth dates are optional on old applications; addresses are rarely updated after a move; ZIP+4.',
  },
  dateFormats: ['MM/DD/YYYY'],
  products: [
    { code: 'CARD_CLASSIC', name: 'Classic Visa', category: 'card' },
    { code: 'CARD_CASHBACK', name: 'Cash Back Mastercard', category: 'card' },
    { code: 'CARD_PLATINUM', name: 'Platinum Rewards Visa', category: 'card' },
  ],
  recordsFor(p, rnd, asOfDay) {
    return adult(p, asOfDay) && rnd.chance(0.63) ? 1 : 0;
  },
  observe(p, rnd, number) {
    const quirks: string[] = [];
    const address = pickAddress(p, rnd, 0.5, quirks);
    const fields: RecordFields = {
      ...baseFields(p, number),
      given: maybeTypo(pickGiven(p, rnd, 0.35, quirks), rnd, 0.02, quirks, 'given'),
      family: maybeTypo(p.family, rnd, 0.02, quirks, 'family'),
      middle: null,
      dob: pickDob(p, rnd, 0.12, 0.03, quirks),
      address,
      phone: pickPhone(p, rnd, 0.08, 0.3, quirks),
      email: pickEmail(p, rnd, 0.45, quirks),
    };
    return { fields, quirks, stale: address !== p.address };
  },
  write(f) {
    const externalId = `C-${pad(f.number, 8)}`;
    const name = upper(`${f.family}, ${f.given}`);
    const dob = f.dob ? usDate(f.dob) : null;
    const phone = f.phone ? formatPhone(f.phone, 'parens') : null;
    const street = streetLine(f.address, { abbreviate: true, upper: true });
    const zip = `${f.address.zip}-${f.address.zip4}`;
    return {
      externalId,
      raw: {
        CARDHOLDER_ID: externalId,
        CARDHOLDER_NAME: name,
        EMBOSS_NAME: upper(`${f.given} ${f.family}`).slice(0, 26),
        BIRTH_DT: dob,
        ADDR_LINE_1: street,
        ADDR_LINE_2: f.address.unit ? upper(f.address.unit) : null,
        CITY: upper(f.address.town.name),
        STATE: f.address.town.region,
        ZIP: zip,
        PHONE: phone,
        EMAIL_ADDR: f.email,
        CREDIT_LIMIT: 1000 * (2 + (f.number % 24)),
      },
      canonical: {
        external_id: externalId,
        full_name: name,
        date_of_birth: dob,
        phone,
        email: f.email,
        address_line1: street,
        address_line2: f.address.unit ? upper(f.address.unit) : null,
        locality: upper(f.address.town.name),
        region: f.address.town.region,
        postcode: zip,
        country: 'US',
      },
    };
  },
};

const PHONE_STYLES: readonly PhoneStyle[] = ['spaced', 'digits', 'dashed', 'dotted'];

export const EVERYDAY: DivisionSpec = {
  code: 'EVERYDAY',
  name: 'Everyday Banking',
  source: { code: 'core_banking', name: 'Core banking (deposits and loans)', uniquePerPerson: false, priority: 3 },
  layout: {
    columns: ['cust_no', 'title', 'cust_name', 'dob', 'tax_id', 'addr_1', 'addr_2', 'town', 'state', 'zip', 'tel', 'email', 'home_branch'],
    dateFormat: 'YYYYMMDD',
    nameFormat: '"Given Family" in one field, keyed by tellers; title separate',
    phoneFormat: 'as keyed: +1 217 555 0142, 2175550142, 217-555-0142, 217.555.0142',
    notes: 'Branch-keyed: typos and the odd swapped name; a customer who walks into a second branch can get a second customer number; tax id only on records opened since KYC rules.',
  },
  dateFormats: ['YYYYMMDD'],
  products: [
    { code: 'DDA_CHECKING', name: 'Everyday checking account', category: 'deposit' },
    { code: 'DDA_SAVINGS', name: 'High-yield savings account', category: 'deposit' },
    { code: 'DDA_CD12', name: '12-month certificate of deposit', category: 'deposit' },
    { code: 'LOAN_PERSONAL', name: 'Personal loan', category: 'loan' },
  ],
  recordsFor(p, rnd) {
    if (!rnd.chance(0.85)) return 0;
    return rnd.chance(0.1) ? 2 : 1;
  },
  observe(p, rnd, number, duplicate) {
    const quirks: string[] = duplicate ? ['duplicate'] : [];
    const address = pickAddress(p, rnd, duplicate ? 0.6 : 0.3, quirks);
    let given = maybeTypo(pickGiven(p, rnd, duplicate ? 0.4 : 0.1, quirks), rnd, 0.06, quirks, 'given');
    let family = maybeTypo(p.family, rnd, 0.06, quirks, 'family');
    const swapped = rnd.chance(0.02);
    if (swapped) {
      quirks.push('swapped_names');
      [given, family] = [family, given];
    }
    const fields: RecordFields = {
      ...baseFields(p, number),
      given,
      family,
      middle: null,
      swapped,
      dob: pickDob(p, rnd, 0.05, 0.03, quirks),
      address,
      phone: pickPhone(p, rnd, 0.1, 0.4, quirks),
      email: pickEmail(p, rnd, 0.55, quirks),
      nationalId: rnd.chance(0.4) ? p.ssn : null,
    };
    if (fields.email && rnd.chance(0.02)) {
      const [local, domain] = fields.email.split('@');
      const slipped = typo(rnd, local);
      if (slipped !== local) {
        fields.email = `${slipped}@${domain}`;
        quirks.push('typo_email');
      }
    }
    return { fields, quirks, stale: address !== p.address };
  },
  write(f) {
    const custNo = 100_000_000 + f.number;
    const externalId = String(custNo);
    const name = `${f.given} ${f.family}`;
    const dob = f.dob ? compactDate(f.dob) : null;
    const phone = f.phone ? formatPhone(f.phone, PHONE_STYLES[f.number % PHONE_STYLES.length]) : null;
    const street = streetLine(f.address, { upper: f.number % 4 === 0 });
    return {
      externalId,
      raw: {
        cust_no: custNo,
        title: titleFor(f, f.number),
        cust_name: name,
        dob,
        tax_id: f.nationalId,
        addr_1: street,
        addr_2: f.address.unit,
        town: f.address.town.name,
        state: f.address.town.region,
        zip: f.address.zip,
        tel: phone,
        email: f.email,
        home_branch: `${f.address.town.name.slice(0, 3).toUpperCase()}-${pad(1 + (f.number % 4), 2)}`,
      },
      canonical: {
        external_id: externalId,
        full_name: name,
        date_of_birth: dob,
        phone,
        email: f.email,
        address_line1: street,
        address_line2: f.address.unit,
        locality: f.address.town.name,
        region: f.address.town.region,
        postcode: f.address.zip,
        country: 'US',
        national_id: f.nationalId,
      },
    };
  },
};

export const WEALTH: DivisionSpec = {
  code: 'WEALTH',
  name: 'Wealth',
  source: { code: 'advisor_crm', name: 'Wealth advisor CRM', uniquePerPerson: true, priority: 1 },
  layout: {
    columns: ['ClientRef', 'FirstName', 'LastName', 'PreferredName', 'Email', 'MobilePhone', 'BirthDate', 'HomeAddress{Street,Unit,City,State,PostalCode}', 'Country', 'RiskProfile', 'ClientSince'],
    dateFormat: 'YYYY-MM-DD (often empty)',
    nameFormat: 'legal first and last name, plus the name the client goes by',
    phoneFormat: '+12175550142 (E.164)',
    notes: 'Advisors keep emails and addresses current and write names with their accents; birth dates are optional in the CRM.',
  },
  dateFormats: ['YYYY-MM-DD'],
  products: [
    { code: 'WM_MANAGED', name: 'Managed portfolio', category: 'investment' },
    { code: 'WM_BROKERAGE', name: 'Self-directed brokerage account', category: 'investment' },
    { code: 'WM_IRA', name: 'Retirement IRA', category: 'investment' },
  ],
  recordsFor(p, rnd, asOfDay) {
    if (!adult(p, asOfDay, 21)) return 0;
    const base = p.role === 'child' ? 0.01 : 0.02;
    return rnd.chance(Math.min(0.85, base + 0.055 * p.wealth)) ? 1 : 0;
  },
  observe(p, rnd, number) {
    const quirks: string[] = [];
    const preferred = rnd.chance(0.4) ? nickname(rnd, p.given) : null;
    if (preferred) quirks.push('preferred_name');
    const fields: RecordFields = {
      ...baseFields(p, number),
      family: maybeTypo(p.family, rnd, 0.01, quirks, 'family'),
      preferred,
      dob: pickDob(p, rnd, 0.35, 0.01, quirks),
      address: pickAddress(p, rnd, 0.05, quirks),
      phone: pickPhone(p, rnd, 0.03, 0, quirks),
      email: pickEmail(p, rnd, 0.97, quirks),
    };
    return { fields, quirks, stale: fields.address !== p.address };
  },
  write(f) {
    const externalId = `W-${2005 + (f.number % 20)}-${pad(f.number, 6)}`;
    const dob = f.dob ? isoDate(f.dob) : null;
    const phone = f.phone ? formatPhone(f.phone, 'e164') : null;
    const street = streetLine(f.address);
    return {
      externalId,
      raw: {
        ClientRef: externalId,
        FirstName: f.given,
        LastName: f.family,
        PreferredName: f.preferred,
        Email: f.email,
        MobilePhone: phone,
        BirthDate: dob,
        HomeAddress: { Street: street, Unit: f.address.unit, City: f.address.town.name, State: f.address.town.region, PostalCode: f.address.zip },
        Country: 'United States',
        RiskProfile: ['cautious', 'balanced', 'growth', 'adventurous'][f.number % 4],
        ClientSince: 2005 + (f.number % 20),
      },
      canonical: {
        external_id: externalId,
        given_name: f.given,
        family_name: f.family,
        date_of_birth: dob,
        email: f.email,
        phone,
        address_line1: street,
        address_line2: f.address.unit,
        locality: f.address.town.name,
        region: f.address.town.region,
        postcode: f.address.zip,
        country: 'US',
      },
    };
  },
};

export const INSURANCE: DivisionSpec = {
  code: 'INSURANCE',
  name: 'Insurance',
  source: { code: 'policy_admin', name: 'Policy administration system', uniquePerPerson: false, priority: 3 },
  layout: {
    columns: ['PARTY_NO', 'SURNAME', 'FORENAMES', 'SSN', 'DOB', 'RISK_HOUSE_NO', 'RISK_STREET', 'RISK_UNIT', 'RISK_TOWN', 'RISK_STATE', 'RISK_ZIP', 'CONTACT_NO', 'EMAIL'],
    dateFormat: 'DD-MON-YYYY',
    nameFormat: 'SURNAME and FORENAMES (given and middle names) in upper case',
    phoneFormat: '2175550142',
    notes: 'Holds the national id (SSN) but keys it by hand; surname and forenames are sometimes entered the wrong way round; a new policy sold by another agent can create a second party.',
  },
  dateFormats: ['D MON YYYY'],
  products: [
    { code: 'INS_HOME', name: 'Homeowners insurance', category: 'insurance' },
    { code: 'INS_AUTO', name: 'Auto insurance', category: 'insurance' },
    { code: 'INS_LIFE', name: 'Term life insurance', category: 'insurance' },
  ],
  recordsFor(p, rnd, asOfDay) {
    if (!adult(p, asOfDay) || !rnd.chance(p.role === 'child' ? 0.3 : 0.6)) return 0;
    return rnd.chance(0.1) ? 2 : 1;
  },
  observe(p, rnd, number, duplicate) {
    const quirks: string[] = duplicate ? ['duplicate'] : [];
    let given = [p.given, p.middle].filter(Boolean).join(' ');
    let family = maybeTypo(p.family, rnd, 0.03, quirks, 'family');
    const swapped = rnd.chance(0.03);
    if (swapped) {
      quirks.push('swapped_names');
      [given, family] = [family, given];
    }
    let nationalId: string | null = p.ssn;
    if (rnd.chance(0.05)) {
      quirks.push('missing_national_id');
      nationalId = null;
    } else if (rnd.chance(0.02)) {
      quirks.push('mistyped_national_id');
      // The leading 9 stays put, so even a mistyped number is never a real SSN.
      nationalId = `9${transposeDigits(rnd, p.ssn.slice(1))}`;
    }
    const fields: RecordFields = {
      ...baseFields(p, number),
      given,
      family,
      middle: null,
      swapped,
      dob: pickDob(p, rnd, 0.03, 0.02, quirks),
      address: pickAddress(p, rnd, duplicate ? 0.5 : 0.2, quirks),
      phone: pickPhone(p, rnd, 0.06, 0.5, quirks),
      email: pickEmail(p, rnd, 0.35, quirks),
      nationalId,
    };
    return { fields, quirks, stale: fields.address !== p.address };
  },
  write(f) {
    const externalId = `PH${pad(f.number, 8)}`;
    const dob = f.dob ? oracleDate(f.dob) : null;
    const phone = f.phone ? formatPhone(f.phone, 'digits') : null;
    const street = streetLine(f.address, { upper: true, withNumber: false });
    return {
      externalId,
      raw: {
        PARTY_NO: externalId,
        SURNAME: upper(f.family),
        FORENAMES: upper(f.given),
        SSN: f.nationalId,
        DOB: dob,
        RISK_HOUSE_NO: String(f.address.number),
        RISK_STREET: street,
        RISK_UNIT: f.address.unit ? upper(f.address.unit) : null,
        RISK_TOWN: upper(f.address.town.name),
        RISK_STATE: f.address.town.region,
        RISK_ZIP: f.address.zip,
        CONTACT_NO: phone,
        EMAIL: f.email ? upper(f.email) : null,
      },
      canonical: {
        external_id: externalId,
        given_name: upper(f.given),
        family_name: upper(f.family),
        date_of_birth: dob,
        national_id: f.nationalId,
        street_number: String(f.address.number),
        address_line1: street,
        address_line2: f.address.unit ? upper(f.address.unit) : null,
        locality: upper(f.address.town.name),
        region: f.address.town.region,
        postcode: f.address.zip,
        phone,
        email: f.email ? upper(f.email) : null,
        country: 'US',
      },
    };
  },
};

export const DIVISIONS: readonly DivisionSpec[] = [MORTGAGES, CARDS, EVERYDAY, WEALTH, INSURANCE];
export const divisionByCode = (code: DivisionCode): DivisionSpec => DIVISIONS.find((d) => d.code === code)!;
