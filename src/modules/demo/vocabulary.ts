/**
 * Word lists for the demo bank. Nicknames are the generator's own (not identity/nicknames.ts), so the answer key
 * never borrows the matcher's knowledge.
 */

/** Formal given name -> the short forms people actually give at a counter. */
export const NICKNAMES: Record<string, readonly string[]> = {
  William: ['Bill', 'Will', 'Billy', 'Liam'],
  Robert: ['Bob', 'Rob', 'Bobby', 'Bert'],
  Margaret: ['Peggy', 'Maggie', 'Meg', 'Marge'],
  Elizabeth: ['Liz', 'Beth', 'Betty', 'Eliza', 'Lisa'],
  James: ['Jim', 'Jimmy', 'Jamie'],
  John: ['Jack', 'Johnny'],
  Richard: ['Rick', 'Dick', 'Rich'],
  Michael: ['Mike', 'Mick'],
  Thomas: ['Tom', 'Tommy'],
  Charles: ['Charlie', 'Chuck'],
  Joseph: ['Joe', 'Joey'],
  Edward: ['Ed', 'Ted', 'Eddie'],
  Anthony: ['Tony'],
  Daniel: ['Dan', 'Danny'],
  David: ['Dave'],
  Christopher: ['Chris'],
  Matthew: ['Matt'],
  Andrew: ['Andy', 'Drew'],
  Steven: ['Steve'],
  Kenneth: ['Ken', 'Kenny'],
  Patricia: ['Pat', 'Patty', 'Trish'],
  Jennifer: ['Jen', 'Jenny'],
  Katherine: ['Kate', 'Kathy', 'Katie'],
  Susan: ['Sue', 'Suzy'],
  Deborah: ['Deb', 'Debbie'],
  Rebecca: ['Becky', 'Becca'],
  Victoria: ['Vicky', 'Tori'],
  Jessica: ['Jess', 'Jessie'],
  Alexandra: ['Alex', 'Sandra'],
  Samantha: ['Sam'],
  Barbara: ['Barb'],
  Dorothy: ['Dot', 'Dottie'],
  Theodore: ['Ted', 'Teddy'],
  Nicholas: ['Nick'],
  Benjamin: ['Ben'],
};

export const GIVEN_MALE = [
  'William', 'Robert', 'James', 'John', 'Richard', 'Michael', 'Thomas', 'Charles', 'Joseph', 'Edward', 'Anthony',
  'Daniel', 'David', 'Christopher', 'Matthew', 'Andrew', 'Steven', 'Kenneth', 'Theodore', 'Nicholas', 'Benjamin',
  'Paul', 'Mark', 'George', 'Brian', 'Kevin', 'Jason', 'Gary', 'Eric', 'Raymond', 'Carlos', 'Luis', 'Jose', 'Wei',
  'Hiroshi', 'Arjun', 'Omar', 'Tariq', 'Dmitri', 'Kwame', 'Pierre', 'Sean', 'Patrick', 'Ryan', 'Tyler', 'Aaron',
] as const;

export const GIVEN_FEMALE = [
  'Margaret', 'Elizabeth', 'Patricia', 'Jennifer', 'Katherine', 'Susan', 'Deborah', 'Rebecca', 'Victoria', 'Jessica',
  'Alexandra', 'Samantha', 'Barbara', 'Dorothy', 'Mary', 'Linda', 'Karen', 'Nancy', 'Lisa', 'Sandra', 'Donna',
  'Carol', 'Michelle', 'Laura', 'Sarah', 'Kimberly', 'Emily', 'Angela', 'Maria', 'Rosa', 'Mei', 'Yuki', 'Priya',
  'Aisha', 'Fatima', 'Olga', 'Ingrid', 'Amara', 'Chloe', 'Hannah', 'Grace', 'Megan', 'Rachel', 'Nicole', 'Julia',
] as const;

/** Jackson is kept out: the story's Jacksons should be the ones a search for "Jackson" finds. */
export const FAMILY_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Martin', 'Lee', 'Perez',
  'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen',
  'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall',
  'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker',
  'Cruz', 'Edwards', 'Collins', 'Reyes', 'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez',
  'Ortiz', 'Morgan', 'Cooper', 'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward',
  'Richardson', 'Watson', 'Brooks', 'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes',
  'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Jimenez', 'Powell',
  'Okafor', 'Nakamura', 'Kowalski', 'Novak', 'Haddad', 'Schmidt', 'Müller', 'Dubois', 'O\'Brien', 'McAllister',
  'Van der Berg', 'Zhang', 'Wang', 'Chen', 'Singh', 'Kumar', 'Ivanova', 'Petrov', 'Mensah', 'Abadi', 'Rossi',
  'Ferrari', 'Santos', 'Silva', 'Costa', 'Yamamoto', 'Tanaka', 'Park', 'Choi', 'Larsen', 'Hansen', 'Johansson',
] as const;

export const STREET_NAMES = [
  'Oak', 'Maple', 'Cedar', 'Pine', 'Elm', 'Washington', 'Lake', 'Hill', 'Park', 'Main', 'Church', 'Walnut',
  'Highland', 'Sunset', 'Ridge', 'Meadow', 'Forest', 'River', 'Spring', 'Willow', 'Chestnut', 'Lincoln', 'Jefferson',
  'Franklin', 'Madison', 'Cherry', 'Mill', 'Prospect', 'Orchard', 'Valley', 'Birch', 'Hickory', 'Magnolia', 'Poplar',
] as const;

/** Street type as written in full, and as a system that abbreviates writes it. */
export const STREET_TYPES: readonly (readonly [string, string])[] = [
  ['Street', 'St'], ['Avenue', 'Ave'], ['Road', 'Rd'], ['Lane', 'Ln'], ['Drive', 'Dr'], ['Court', 'Ct'],
  ['Boulevard', 'Blvd'], ['Place', 'Pl'], ['Terrace', 'Ter'], ['Way', 'Way'],
];

export interface Town {
  name: string;
  region: string;
  /** First three digits of the town's ZIP codes. */
  zip3: string;
  areaCode: string;
}

export const TOWNS: readonly Town[] = [
  { name: 'Springfield', region: 'IL', zip3: '627', areaCode: '217' },
  { name: 'Champaign', region: 'IL', zip3: '618', areaCode: '217' },
  { name: 'Chicago', region: 'IL', zip3: '606', areaCode: '312' },
  { name: 'Evanston', region: 'IL', zip3: '602', areaCode: '847' },
  { name: 'Madison', region: 'WI', zip3: '537', areaCode: '608' },
  { name: 'Milwaukee', region: 'WI', zip3: '532', areaCode: '414' },
  { name: 'Des Moines', region: 'IA', zip3: '503', areaCode: '515' },
  { name: 'St. Louis', region: 'MO', zip3: '631', areaCode: '314' },
  { name: 'Kansas City', region: 'MO', zip3: '641', areaCode: '816' },
  { name: 'Indianapolis', region: 'IN', zip3: '462', areaCode: '317' },
  { name: 'Columbus', region: 'OH', zip3: '432', areaCode: '614' },
  { name: 'Cleveland', region: 'OH', zip3: '441', areaCode: '216' },
  { name: 'Ann Arbor', region: 'MI', zip3: '481', areaCode: '734' },
  { name: 'Minneapolis', region: 'MN', zip3: '554', areaCode: '612' },
  { name: 'Omaha', region: 'NE', zip3: '681', areaCode: '402' },
  { name: 'Louisville', region: 'KY', zip3: '402', areaCode: '502' },
  { name: 'Nashville', region: 'TN', zip3: '372', areaCode: '615' },
  { name: 'Denver', region: 'CO', zip3: '802', areaCode: '303' },
  { name: 'Austin', region: 'TX', zip3: '787', areaCode: '512' },
  { name: 'Portland', region: 'OR', zip3: '972', areaCode: '503' },
];

/** The reserved .example TLD (RFC 2606): no address the demo writes can reach anyone. (example.com is avoided: the normaliser drops it as a placeholder.) */
export const EMAIL_DOMAINS = ['mail.example', 'inbox.example', 'post.example', 'webmail.example', 'netmail.example'] as const;

/** Keys that sit next to each other on a QWERTY keyboard: the typos people make at a counter. */
export const NEIGHBOUR_KEYS: Record<string, string> = {
  a: 'qsz', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k',
  m: 'n', n: 'bm', o: 'ip', p: 'o', q: 'w', r: 'et', s: 'ad', t: 'ry', u: 'yi', v: 'cb', w: 'qe', x: 'zc', y: 'tu', z: 'x',
};

export const TITLES_MALE = ['Mr', 'Mr.', 'MR'] as const;
export const TITLES_FEMALE = ['Mrs', 'Ms', 'Ms.', 'MRS', 'Miss'] as const;
