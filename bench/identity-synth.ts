/**
 * Seeded synthetic person records with known truth, for the identity scale benchmark: several divisions each
 * holding some of a person's records, with the errors real imports have (typos, nicknames, swapped day and
 * month, swapped names, moved house, missing values) and realistic name frequencies (a few very common
 * surnames, a long tail of rare ones).
 */
import type { CanonicalInput } from '../src/modules/identity/canonical.js';
import { rng } from '../src/modules/identity/em.js';

const GIVEN = [
  'james', 'john', 'robert', 'michael', 'william', 'david', 'richard', 'joseph', 'thomas', 'charles', 'christopher', 'daniel',
  'matthew', 'anthony', 'mark', 'donald', 'steven', 'paul', 'andrew', 'joshua', 'kenneth', 'kevin', 'brian', 'george',
  'timothy', 'ronald', 'edward', 'jason', 'jeffrey', 'ryan', 'jacob', 'gary', 'nicholas', 'eric', 'jonathan', 'stephen',
  'larry', 'justin', 'scott', 'brandon', 'benjamin', 'samuel', 'gregory', 'alexander', 'frank', 'patrick', 'raymond', 'jack',
  'dennis', 'jerry', 'tyler', 'aaron', 'jose', 'adam', 'nathan', 'henry', 'douglas', 'zachary', 'peter', 'kyle', 'oliver',
  'harry', 'noah', 'leo', 'arthur', 'oscar', 'theodore', 'freddie', 'archie', 'alfie', 'mary', 'patricia', 'jennifer',
  'linda', 'elizabeth', 'barbara', 'susan', 'jessica', 'sarah', 'karen', 'lisa', 'nancy', 'betty', 'margaret', 'sandra',
  'ashley', 'kimberly', 'emily', 'donna', 'michelle', 'carol', 'amanda', 'dorothy', 'melissa', 'deborah', 'stephanie',
  'rebecca', 'sharon', 'laura', 'cynthia', 'kathleen', 'amy', 'angela', 'shirley', 'anna', 'brenda', 'pamela', 'emma',
  'nicole', 'helen', 'samantha', 'katherine', 'christine', 'debra', 'rachel', 'carolyn', 'janet', 'catherine', 'maria',
  'heather', 'diane', 'ruth', 'julie', 'olivia', 'joyce', 'virginia', 'victoria', 'kelly', 'lauren', 'christina', 'joan',
  'evelyn', 'judith', 'megan', 'andrea', 'cheryl', 'hannah', 'jacqueline', 'martha', 'gloria', 'teresa', 'ann', 'sara',
  'madison', 'frances', 'kathryn', 'janice', 'jean', 'abigail', 'alice', 'judy', 'sophia', 'grace', 'denise', 'amber',
  'doris', 'marilyn', 'danielle', 'beverly', 'isabella', 'theresa', 'diana', 'natalie', 'brittany', 'charlotte', 'marie',
  'kayla', 'alexis', 'lori', 'isla', 'ava', 'mia', 'poppy', 'freya', 'florence', 'ivy', 'lily', 'rosie', 'evie', 'ella',
];
const NICK: Record<string, string> = {
  william: 'bill', robert: 'bob', richard: 'dick', james: 'jim', john: 'jack', michael: 'mike', thomas: 'tom', charles: 'charlie',
  christopher: 'chris', daniel: 'dan', matthew: 'matt', anthony: 'tony', joseph: 'joe', edward: 'ted', margaret: 'peggy',
  elizabeth: 'liz', katherine: 'kate', rebecca: 'becky', patricia: 'trish', jennifer: 'jenny', samantha: 'sam', alexander: 'alex',
  benjamin: 'ben', samuel: 'sam', nicholas: 'nick', stephen: 'steve', timothy: 'tim', deborah: 'debbie', susan: 'sue', dorothy: 'dot',
};
const SURNAMES = [
  'smith', 'jones', 'williams', 'taylor', 'brown', 'davies', 'evans', 'wilson', 'thomas', 'johnson', 'roberts', 'robinson',
  'thompson', 'wright', 'walker', 'white', 'edwards', 'hughes', 'green', 'hall', 'lewis', 'harris', 'clarke', 'patel', 'jackson',
  'wood', 'turner', 'martin', 'cooper', 'hill', 'ward', 'morris', 'moore', 'clark', 'lee', 'king', 'baker', 'harrison', 'morgan',
  'allen', 'james', 'scott', 'phillips', 'watson', 'davis', 'parker', 'price', 'bennett', 'young', 'griffiths', 'mitchell', 'kelly',
  'cook', 'carter', 'richardson', 'bailey', 'collins', 'bell', 'shaw', 'murphy', 'miller', 'cox', 'richards', 'khan', 'marshall',
  'anderson', 'simpson', 'ellis', 'adams', 'singh', 'begum', 'wilkinson', 'foster', 'chapman', 'powell', 'webb', 'rogers', 'gray',
  'mason', 'ali', 'hunt', 'hussain', 'campbell', 'matthews', 'owen', 'palmer', 'holmes', 'mills', 'barnes', 'knight', 'lloyd',
  'butler', 'russell', 'barker', 'fisher', 'stevens', 'jenkins', 'murray', 'dixon', 'harvey',
];
const SYLLABLES = ['ab', 'ber', 'cal', 'dun', 'el', 'fen', 'gar', 'hol', 'ing', 'jor', 'kel', 'lan', 'mor', 'nor', 'ost', 'pen', 'quin', 'ros', 'sut', 'tal', 'ul', 'van', 'wes', 'yar', 'zel', 'ham', 'ley', 'ton', 'by', 'worth', 'field', 'ford', 'well', 'more', 'son', 'man', 'den', 'ridge', 'croft', 'shaw'];
const STREET_TYPES = ['Street', 'Road', 'Avenue', 'Lane', 'Close', 'Drive', 'Way', 'Crescent', 'Place', 'Grove'];
const STREET_ABBR: Record<string, string> = { Street: 'St', Road: 'Rd', Avenue: 'Ave', Lane: 'Ln', Close: 'Cl', Drive: 'Dr', Crescent: 'Cres', Place: 'Pl', Grove: 'Gr', Way: 'Way' };
const DOMAINS = ['gmail.com', 'yahoo.co.uk', 'hotmail.com', 'outlook.com', 'btinternet.com', 'icloud.com', 'sky.com'];
export const SOURCES = ['mortgages', 'cards', 'everyday', 'wealth', 'insurance'];

export interface SyntheticRecord {
  source: string;
  truth: number;
  input: CanonicalInput;
}

interface Person {
  given: string;
  family: string;
  dob: [number, number, number];
  email: string | null;
  phone: string | null;
  nid: string | null;
  street: number;
  line1: string;
  locality: string;
  postcode: string;
}

export function createGenerator(seed: number) {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  // Zipf-like: index ~ floor(n * u^3) favours the head of the list.
  const zipf = <T>(xs: readonly T[], skew = 3) => xs[Math.floor(xs.length * Math.pow(random(), skew))];
  const syllableName = (parts: number) => Array.from({ length: parts }, () => pick(SYLLABLES)).join('');
  const towns = Array.from({ length: 800 }, () => syllableName(2));
  const streets = Array.from({ length: 20000 }, () => syllableName(2));
  const rareSurnames = Array.from({ length: 150000 }, () => syllableName(2 + Math.floor(random() * 2)));
  const rareGiven = Array.from({ length: 3000 }, () => syllableName(2));
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const letters = 'ABCDEFGHJKLMNPRSTUWXYZ';
  let nextPerson = 0;
  const emailsTaken = new Set<string>();
  /** An address belongs to one person: a taken one gets digits, as the provider would insist. */
  function uniqueEmail(given: string, family: string): string {
    const domain = pick(DOMAINS);
    let local = `${given}${random() < 0.5 ? '.' : ''}${family}${random() < 0.6 ? digits(2) : ''}`;
    // Gmail ignores dots: john.smith@ and johnsmith@ are one mailbox.
    const key = (l: string) => `${domain === 'gmail.com' ? l.replace(/\./g, '') : l}@${domain}`;
    while (emailsTaken.has(key(local))) local += digits(1);
    emailsTaken.add(key(local));
    return `${local}@${domain}`;
  }

  const titleCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

  function typo(s: string): string {
    if (s.length < 3) return s;
    const i = 1 + Math.floor(random() * (s.length - 2));
    const kind = random();
    const ch = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)];
    if (kind < 0.3) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2); // transposition
    if (kind < 0.55) return s.slice(0, i) + s.slice(i + 1); // deletion
    if (kind < 0.8) return s.slice(0, i) + ch + s.slice(i + 1); // substitution
    return s.slice(0, i) + ch + s.slice(i); // insertion
  }

  function newPerson(): Person {
    // Roughly the UK's shape: the 100 commonest surnames cover about a fifth of people (Smith ~1.3%), the
    // 200 commonest given names most of them.
    const given = random() < 0.85 ? zipf(GIVEN, 1.6) : pick(rareGiven);
    const family = random() < 0.2 ? zipf(SURNAMES, 1.6) : pick(rareSurnames);
    const dob: [number, number, number] = [1930 + Math.floor(random() * 76), 1 + Math.floor(random() * 12), 1 + Math.floor(random() * 28)];
    const town = zipf(towns, 2);
    return {
      given,
      family,
      dob,
      email: random() < 0.75 ? uniqueEmail(given, family) : null,
      phone: random() < 0.7 ? `07${digits(3)} ${digits(6)}` : null,
      nid: random() < 0.6 ? `${pick([...letters])}${pick([...letters])}${digits(6)}${pick(['A', 'B', 'C', 'D'])}` : null,
      street: 1 + Math.floor(random() * 200),
      line1: `${titleCase(pick(streets))} ${pick(STREET_TYPES)}`,
      locality: titleCase(town),
      postcode: `${pick([...letters])}${pick([...letters])}${1 + Math.floor(random() * 30)} ${Math.floor(random() * 10)}${pick([...letters])}${pick([...letters])}`,
    };
  }

  /** One record of a person as a division's system holds it: errors and gaps drawn independently. */
  function recordOf(p: Person, truth: number, source: string): SyntheticRecord {
    let given = p.given;
    let family = p.family;
    const r = random;
    if (NICK[given] && r() < 0.15) given = NICK[given];
    else if (r() < 0.08) given = typo(given);
    if (r() < 0.07) family = typo(family);
    let [y, m, d] = p.dob;
    const dobError = r();
    if (dobError < 0.03) d = Math.min(28, Math.max(1, d + (r() < 0.5 ? 1 : -1)));
    else if (dobError < 0.045 && d <= 12) [m, d] = [d, m];
    else if (dobError < 0.06) y += r() < 0.5 ? 1 : -1;
    const dobText = r() < 0.5
      ? `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
      : `${d} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]} ${y}`;
    const moved = r() < 0.1;
    const home = moved ? newPerson() : p;
    const swapNames = r() < 0.01;
    const useFull = r() < 0.2;
    const g = r() < 0.5 ? titleCase(given) : given.toUpperCase();
    const f = titleCase(family);
    const input: CanonicalInput = {
      external_id: `${source}-${truth}-${Math.floor(r() * 1e9)}`,
      ...(useFull ? { full_name: r() < 0.5 ? `${g} ${f}` : `${f}, ${g}` } : { given_name: swapNames ? f : g, family_name: swapNames ? g : f }),
      date_of_birth: r() < 0.04 ? '' : dobText,
      email: p.email && r() < 0.8 ? (r() < 0.03 ? typo(p.email) : p.email) : '',
      phone: p.phone && r() < 0.75 ? (r() < 0.02 ? p.phone.slice(0, -1) + String((Number(p.phone.slice(-1)) + 1) % 10) : p.phone) : '',
      national_id: p.nid && r() < 0.5 ? p.nid : '',
      street_number: String(home.street),
      address_line1: r() < 0.3 ? home.line1.replace(/(\w+)$/, (w) => STREET_ABBR[w] ?? w) : home.line1,
      locality: r() < 0.03 ? typo(home.locality) : home.locality,
      postcode: r() < 0.5 ? home.postcode : home.postcode.replace(' ', ''),
      country: 'GB',
    };
    return { source, truth, input };
  }

  /** Records of `people` new persons: 1 to 5 records each, from distinct divisions. */
  function people(count: number): SyntheticRecord[] {
    const out: SyntheticRecord[] = [];
    for (let k = 0; k < count; k++) {
      const id = nextPerson++;
      const p = newPerson();
      const u = random();
      const n = u < 0.5 ? 1 : u < 0.78 ? 2 : u < 0.92 ? 3 : u < 0.98 ? 4 : 5;
      const sources = [...SOURCES].sort(() => random() - 0.5).slice(0, n);
      for (const s of sources) out.push(recordOf(p, id, s));
      personById.set(id, p);
    }
    return out;
  }

  const personById = new Map<number, Person>();

  /** A further record of an existing person (a new account in another division). */
  function another(truth: number, source: string): SyntheticRecord {
    return recordOf(personById.get(truth)!, truth, source);
  }

  return { people, another, random, peopleCount: () => nextPerson };
}
