/**
 * The demo bank's staff: per division a manager, seniors and juniors in two teams. Accounts marked `signIn`
 * get the demo password so the web app can be tried at once; the rest exist for routing and history only.
 */
import type { RoleName } from '../access/roles.js';
import type { DivisionCode } from './divisions.js';

export const DEMO_PASSWORD = 'rapport-demo-2024';
export const DEMO_EMAIL_DOMAIN = 'demo.rapport';

export interface StaffSpec {
  email: string;
  displayName: string;
  role: RoleName;
  /** null = the whole bank (admin, analyst). */
  division: DivisionCode | null;
  team: string | null;
  seniority: number;
  skills: string[];
  signIn: boolean;
}

export interface TeamSpec {
  division: DivisionCode;
  name: string;
}

export const TEAMS: readonly TeamSpec[] = [
  { division: 'MORTGAGES', name: 'Mortgage Brokers' },
  { division: 'MORTGAGES', name: 'Mortgage Servicing' },
  { division: 'CARDS', name: 'Card Services' },
  { division: 'CARDS', name: 'Card Marketing' },
  { division: 'EVERYDAY', name: 'Branch Network' },
  { division: 'EVERYDAY', name: 'Contact Centre' },
  { division: 'WEALTH', name: 'Private Banking' },
  { division: 'WEALTH', name: 'Wealth Advisory' },
  { division: 'INSURANCE', name: 'Policy Services' },
  { division: 'INSURANCE', name: 'Claims' },
];

const at = (local: string) => `${local}@${DEMO_EMAIL_DOMAIN}`;

function member(division: DivisionCode, team: string, name: string, role: RoleName, seniority: number, skills: string[], signIn = false): StaffSpec {
  return { email: at(name.toLowerCase().replace(/[^a-z]+/g, '.')), displayName: name, role, division, team, seniority, skills, signIn };
}

export const STAFF: readonly StaffSpec[] = [
  { email: at('admin'), displayName: 'Demo Administrator', role: 'admin', division: null, team: null, seniority: 5, skills: [], signIn: true },
  { email: at('analyst'), displayName: 'Demo Analyst', role: 'analyst', division: null, team: null, seniority: 3, skills: ['reporting'], signIn: true },

  member('MORTGAGES', 'Mortgage Brokers', 'Grace Whitfield', 'manager', 5, ['mortgages', 'home_equity', 'high_value'], true),
  member('MORTGAGES', 'Mortgage Brokers', 'Daniel Osei', 'agent', 4, ['mortgages', 'home_equity', 'high_value']),
  member('MORTGAGES', 'Mortgage Servicing', 'Kevin Marsh', 'agent', 1, ['mortgages', 'servicing'], true),
  member('MORTGAGES', 'Mortgage Servicing', 'Priya Raman', 'agent', 2, ['mortgages', 'servicing']),
  member('MORTGAGES', 'Mortgage Servicing', 'Tom Becker', 'agent', 1, ['servicing']),

  member('CARDS', 'Card Services', 'Helen Cho', 'manager', 5, ['cards', 'disputes'], true),
  member('CARDS', 'Card Services', 'Marcus Reid', 'agent', 3, ['cards', 'disputes', 'retention']),
  member('CARDS', 'Card Services', 'Lucy Alvarez', 'agent', 1, ['cards'], true),
  member('CARDS', 'Card Services', 'Sam Patel', 'agent', 2, ['cards', 'fraud']),
  member('CARDS', 'Card Marketing', 'Olivia Grant', 'agent', 3, ['campaigns']),

  member('EVERYDAY', 'Branch Network', 'Ruth Adeyemi', 'manager', 5, ['deposits', 'loans'], true),
  member('EVERYDAY', 'Branch Network', 'Carlos Mendes', 'agent', 4, ['deposits', 'loans', 'high_value']),
  member('EVERYDAY', 'Branch Network', 'Emma Novak', 'agent', 2, ['deposits']),
  member('EVERYDAY', 'Contact Centre', 'Jake Turner', 'agent', 1, ['deposits'], true),
  member('EVERYDAY', 'Contact Centre', 'Aisha Karim', 'agent', 2, ['deposits', 'complaints']),
  member('EVERYDAY', 'Contact Centre', 'Ben Fischer', 'agent', 1, ['deposits']),

  member('WEALTH', 'Private Banking', 'Victoria Hale', 'manager', 5, ['investments', 'high_value', 'estate_planning'], true),
  member('WEALTH', 'Private Banking', 'Jonathan Pryce', 'agent', 5, ['investments', 'high_value']),
  member('WEALTH', 'Wealth Advisory', 'Mei Lin', 'agent', 3, ['investments', 'retirement']),
  member('WEALTH', 'Wealth Advisory', 'Noah Brandt', 'agent', 2, ['investments']),

  member('INSURANCE', 'Policy Services', 'Frank Delgado', 'manager', 5, ['home', 'auto', 'life'], true),
  member('INSURANCE', 'Policy Services', 'Sofia Rossi', 'agent', 3, ['home', 'auto']),
  member('INSURANCE', 'Policy Services', 'Liam Byrne', 'agent', 1, ['auto'], true),
  member('INSURANCE', 'Claims', 'Nadia Haddad', 'agent', 4, ['claims', 'home']),
  member('INSURANCE', 'Claims', 'Owen Clarke', 'agent', 2, ['claims', 'auto']),
];

export const staffOf = (division: DivisionCode) => STAFF.filter((s) => s.division === division);
