/**
 * Common English given-name variants, grouped under one formal name. A record keeps the name as written;
 * matching compares the group keys, so "Bill" and "William" meet at the nickname level instead of failing
 * a string-similarity test they could never pass.
 *
 * A variant may belong to several groups ("Al" is Albert, Alan and Alfred): `nameGroups` returns them all and
 * `canonicalGivenName` the first, which is the one blocking keys use.
 */
const TABLE = `
abigail: abby abbie gail
abraham: abe bram
adam: ad
adelaide: addie adela della heidi
agnes: aggie nessa nessie
albert: al bert bertie
alan: al allan allen alun
alexander: alex alec alick sandy xander lex sasha
alexandra: alex alexa lexi sandra sandy sasha
alfred: al alf alfie fred freddie
alice: ally allie elsie
alison: ali allie ally
amanda: mandy manda
amelia: amy millie
andrew: andy drew
angela: angie
anne: ann annie nan nancy nanny
anthony: tony ant antony
archibald: archie
arnold: arnie
arthur: art artie
augustus: gus
barbara: barb barbie babs
bartholomew: bart
beatrice: bea bee trixie
benedict: ben benny
benjamin: ben benny benji
bernard: bernie barney
beverly: bev
bradley: brad
brian: bryan
bridget: biddy bridie
calvin: cal
cameron: cam
caroline: carol carrie lynn
catherine: cathy cath kate katie kathy kay kit katherine kathryn katharine cate
cecilia: cissy celia
charles: charlie chuck chas chaz chip
charlotte: lottie charlie lotte
christian: chris kit
christina: chris chrissy tina kristina christine kristine
christopher: chris kit topher kris
clarence: clare
clifford: cliff
cornelius: neil connie
cynthia: cindy
daniel: dan danny
david: dave davy davie
deborah: deb debbie debra
dennis: denny
dominic: dom
donald: don donnie
dorothy: dot dottie dolly dora
douglas: doug
edgar: ed eddie
edmund: ed eddie ned
edward: ed eddie ted teddy ned ward
edwin: ed eddie win
eleanor: ellie nell nellie nora elle
elizabeth: liz lizzie lizzy beth betty betsy bess bessie eliza elsa elsie libby lisa liza
ellen: ellie nell
emily: em emmy millie
emma: em emmy
eugene: gene
evelyn: eve evie
ezekiel: zeke
florence: flo flossie
frances: fran fanny frankie
francis: frank frankie fran
frank: frankie
franklin: frank
frederick: fred freddie freddy fritz
gabriel: gabe
gabrielle: gabby gabi
geoffrey: geoff jeff
george: georgie
gerald: gerry jerry
geraldine: gerry jerry
gertrude: gertie trudy
gilbert: gil bert
gregory: greg
gwendolyn: gwen wendy
harold: harry hal
harriet: hattie
helen: nell nellie lena
henry: harry hank hal
herbert: herb bert
howard: howie
hubert: hugh bert
isaac: ike
isabella: bella izzy isabel isabelle belle
jacob: jake jay
jacqueline: jackie jacqui
james: jim jimmy jamie jem
janet: jan jenny
jane: jenny janey
jeffrey: jeff
jennifer: jen jenny jenn
jeremiah: jerry
jeremy: jerry jez
jessica: jess jessie
joanna: jo joanne
john: jack johnny jon
jonathan: jon jonny nathan
joseph: joe joey jo
josephine: jo josie
joshua: josh
judith: judy jude
julia: julie jules
katherine: kate katie kathy kay
kenneth: ken kenny
kimberly: kim kimmy
lawrence: larry laurie lawrie
leonard: len lenny leo
leslie: les
lillian: lily lil
louis: lou louie
louise: lou lulu
lucas: luke
lucinda: lucy cindy
luke: lucas
madeline: maddie madge maddy
margaret: maggie meg peggy marge margie madge greta gretta molly daisy mags megan
marjorie: marge margie
martha: marty patty mattie
martin: marty
mary: molly polly mae mamie maria marie
matilda: tilly tilda mattie
matthew: matt matty
maureen: mo
maximilian: max
maxwell: max
melissa: mel missy
michael: mike mick mickey micky mikey
michelle: shelly
miriam: mimi
mitchell: mitch
nathaniel: nate nat nathan
nicholas: nick nicky nico
nicole: nicky nikki
norman: norm
oliver: ollie
olivia: liv livvy ollie
oswald: ozzy ossie
pamela: pam
patricia: pat patty trish tricia patsy
patrick: pat paddy
paul: paulie
penelope: penny
peter: pete
philip: phil pip phillip
phillip: phil
phoebe: phebe
priscilla: cilla prissy
rachel: rach
raymond: ray
rebecca: becky becca
reginald: reg reggie
richard: rich rick ricky dick rich richie
robert: rob robbie bob bobby bert
roberta: bobbie robbie
rodney: rod
roger: rodge
ronald: ron ronnie
rosemary: rose rosie
rudolph: rudy rudi
russell: russ
samantha: sam sammy
samuel: sam sammy
sarah: sally sadie sara
sebastian: seb
sidney: sid
simon: si
solomon: sol
stanley: stan
stephanie: steph stevie
stephen: steve stevie steven
steven: steve stevie
stuart: stu
susan: sue susie suzy sukie
suzanne: sue susie suzy
sylvester: sly
terence: terry
theodore: ted teddy theo
theresa: terry tess tessa tracy teresa
thomas: tom tommy thom
timothy: tim timmy
tobias: toby
valentine: val
valerie: val
veronica: ronnie vera
victor: vic
victoria: vicky vickie tori
vincent: vince vinnie
virginia: ginny ginger
walter: walt wally
wilfred: wilf fred
william: bill billy will willy willie liam
winifred: winnie freda
zachary: zach zack zac
`;

const groupsByName = new Map<string, string[]>();

for (const line of TABLE.split('\n')) {
  const colon = line.indexOf(':');
  if (colon < 0) continue;
  const formal = line.slice(0, colon).trim();
  const variants = line.slice(colon + 1).trim().split(/\s+/);
  for (const name of [formal, ...variants]) {
    const groups = groupsByName.get(name) ?? [];
    if (!groups.includes(formal)) groups.push(formal);
    groupsByName.set(name, groups);
  }
}

/** Number of name-variant pairs the table knows (each variant paired with its formal name). */
export const NICKNAME_PAIR_COUNT = [...groupsByName.entries()].reduce((n, [name, g]) => n + g.filter((f) => f !== name).length, 0);

/** The formal names a folded given name may stand for (itself when unknown). */
export function nameGroups(folded: string): readonly string[] {
  return groupsByName.get(folded) ?? [folded];
}

/** The key blocking and the nickname comparison use: "bill" -> "william", unknown names unchanged. */
export function canonicalGivenName(folded: string): string {
  const groups = groupsByName.get(folded);
  return groups ? groups[0] : folded;
}

/** Whether two folded given names are variants of one formal name. */
export function areNicknames(a: string, b: string): boolean {
  if (a === b) return true;
  const ga = nameGroups(a);
  const gb = nameGroups(b);
  for (const x of ga) if (gb.includes(x)) return true;
  return false;
}
