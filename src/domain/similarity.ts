/**
 * Near-duplicate detection for "the same request sent twice". Pure text functions.
 *
 * Method: subjects are compared as word sets (Jaccard) after removing reply/forward
 * prefixes and ticket tags; bodies as sets of 3-word shingles. Body overlap is measured
 * as containment (shared / smaller set) when both bodies are long enough, because a
 * re-sent request usually repeats the original and adds a line ("re-sending in case…");
 * short bodies fall back to word Jaccard, where containment would be too generous.
 * The score weighs the body more than the subject, since people reword subjects; and when
 * both bodies are long enough for shingles to mean something, a near-identical body counts
 * on its own (a forward of one's own first mail, a re-send with a reworded subject).
 *
 * Wording alone misses most resends (a two-line chase from the phone, a reword, a translation)
 * and merges look-alikes, so two more kinds of evidence decide (duplicate-cues.ts):
 * - what a mail is about: its key terms (stop words of EN/DE/SV/NL/FR out, words cut to their
 *   first letters, identifiers whole). Sharing enough of the smaller mail's key terms is the same
 *   request; less is needed with an identifier in common, and less again across two languages.
 * - what says two things: identifiers of one kind that differ (two laptops, two mailboxes), two
 *   dates, rooms, cost centres, references or people, "works now" / "new problem", and "could you
 *   also…" / "assign me there as well", two network folders, two installs, two error numbers, a
 *   request for someone the other mail never mentions. Any of these caps the score below a match,
 *   however alike the words: a wrong merge hides a request, a missed one costs a click.
 * Short of those, three more kinds of evidence take two mails as one request: a mail that says it
 * goes back to an earlier one ("did you get my mail?", "in English in case…", "the KB article did
 * not help") and names the same thing; the same subject word for word that names a thing, not a
 * kind of mail ("Help", "IT issue", "Fråga" name nothing); a vague one-line first mail ("Laptop
 * kaputt") whose subject's thing is in the precise one's subject.
 */
import { fold, followsUp, keyTerms, languageOf, movedOn, namedPeople, oneMore, slots, specificSubjectTerms, withoutSignatureCards } from './duplicate-cues.js';
import { identifiers } from './identifiers.js';
import { withoutSubjectPrefixes } from './subject-prefixes.js';

const TAG = /\[[a-z]{2,10}-\d+\]/gi;

export function normaliseSubject(subject: string): string {
  return words(withoutSubjectPrefixes(subject.replace(TAG, ' '))).join(' ');
}

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * Fingerprint kept on the ticket: normalised subject, the opening words of the body without its
 * signature card, the identifiers in both, and the people the request is for (a line each; a
 * print from before identifiers has two lines and none, one from before people three lines).
 */
export const FINGERPRINT_BODY_WORDS = 300;

export function fingerprint(subject: string, rawBody: string): string {
  const body = withoutNoise(rawBody);
  const ids = [...identifiers(`${subject}\n${body}`), ...mailboxes(`${subject}\n${body}`), ...folders(`${subject}\n${body}`)];
  const people = namedPeople(`${subject}\n${body}`);
  return `${normaliseSubject(subject)}\n${words(withoutSignatureCards(body)).slice(0, FINGERPRINT_BODY_WORDS).join(' ')}\n${ids.join(' ')}\n${people.join(' ')}`;
}


/**
 * A GUID ("Activity ID: 6c1f2a9e-53b7-…") is minted for each occurrence of an error, so it neither
 * links two mails nor tells them apart; its parts read as a dozen key terms of their own.
 */
const GUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/** A mobile client's footer line, with its aka.ms link (see withoutSignatureCards). */
const FOOTER_LINE = /^.{0,40}\boutlook\b.{0,20}\b(?:ios|android)\b.{0,60}$/gimu;

function withoutNoise(body: string): string {
  return body.replace(GUID, ' ').replace(FOOTER_LINE, '');
}

/**
 * Network folders a mail names (`\\nw-fs02\Projecten\2027\Havenkwartier`), up to the first space:
 * what an access request is for. Two folders are two requests, however alike the two mails; a
 * folder and one inside it are one (compareIdentifiers).
 */
function folders(text: string): string[] {
  return [...new Set([...text.matchAll(/\\\\[\w.-]+(?:\\[^\s\\"'<>|,;]+)+/g)].map((m) => m[0].toLowerCase().replace(/[.)]+$/, '')))].slice(0, MAX_MAILBOXES);
}

/** At most this many addresses per text (a pasted distribution list says nothing more). */
const MAX_MAILBOXES = 5;

/**
 * Addresses a mail names (a shared mailbox, a distribution list): evidence only against a match,
 * as two requests alike but for the mailbox they are about are two requests.
 */
function mailboxes(text: string): string[] {
  return [...new Set(text.toLowerCase().match(/[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/g) ?? [])].slice(0, MAX_MAILBOXES);
}

/**
 * An identifier's kind, so that two of one kind can disagree: an asset tag by its letter prefix
 * (`nw-lt-…`), a hex error code, a dotted version, else a code.
 */
function kindOf(id: string): string {
  if (id.includes('@')) return 'address';
  if (id.startsWith('\\\\')) return 'folder';
  if (/^0x[0-9a-f]+$/.test(id)) return 'hex';
  if (/^\d+(?:\.\d+)+$/.test(id)) return 'version';
  const tag = /^([a-z]+(?:-[a-z]+)*)-[a-z0-9]*\d[a-z0-9-]*$/.exec(id);
  return tag ? `tag:${tag[1]}` : 'code';
}

function shingles(tokens: string[], size: number): Set<string> {
  const out = new Set<string>();
  if (tokens.length < size) {
    if (tokens.length) out.add(tokens.join(' '));
    return out;
  }
  for (let i = 0; i + size <= tokens.length; i++) {
    let shingle = tokens[i]!;
    for (let k = i + 1; k < i + size; k++) shingle += ` ${tokens[k]}`;
    out.add(shingle);
  }
  return out;
}

function intersectionSize(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const shared = intersectionSize(a, b);
  return shared / (a.size + b.size - shared);
}

export function containment(a: Set<string>, b: Set<string>): number {
  const smaller = Math.min(a.size, b.size);
  if (smaller === 0) return a.size === b.size ? 1 : 0;
  return intersectionSize(a, b) / smaller;
}

/** Below this many shingles a body is too short for containment to mean anything. */
const MIN_SHINGLES_FOR_CONTAINMENT = 8;
const SUBJECT_WEIGHT = 0.3;

export interface Similarity {
  subject: number;
  body: number;
  /** Identifiers both name; `conflict` when they name two things of one kind (two laptops, two mailboxes). */
  identifiers: { shared: string[]; conflict: boolean };
  score: number;
}

/** A fingerprint read back into what a comparison needs. */
interface ReadPrint {
  subject: Set<string>;
  tokens: string[];
  shingles: Set<string>;
  identifiers: string[];
  /** Key terms of subject and body (duplicate-cues.ts), and the dates, cost centres, references named. */
  terms: Set<string>;
  slots: string[];
  language: string | undefined;
  moved: boolean;
  oneMore: boolean;
  /** The subject's key terms without "Help", "issue", "Problem"… (duplicate-cues.ts). */
  subjectTerms: Set<string>;
  /** The normalised subject as written, to tell two identical subjects. */
  subjectLine: string;
  /** Says it goes back to an earlier mail ("did you get my mail?", "any news?", "KB article didn't help"). */
  followUp: boolean;
  /** Every word of subject and body, to tell whether a person one mail names appears in the other. */
  allWords: Set<string>;
}

/** The prints read last, most recent first: a new mail's print is compared with each open ticket's in turn. */
const recentPrints: { print: string; read: ReadPrint }[] = [];
const RECENT_PRINTS = 2;

function readPrint(print: string): ReadPrint {
  const i = recentPrints.findIndex((recent) => recent.print === print);
  const recent = i >= 0 ? recentPrints.splice(i, 1)[0]! : { print, read: parsePrint(print) };
  recentPrints.unshift(recent);
  recentPrints.length = Math.min(recentPrints.length, RECENT_PRINTS);
  return recent.read;
}

function parsePrint(print: string): ReadPrint {
  const [subject = '', body = '', ids = '', people = ''] = print.split('\n');
  const tokens = words(body);
  const subjectWords = words(subject);
  const identifiers = ids.split(' ').filter(Boolean);
  // The cues (duplicate-cues.ts) read the words without accents.
  const foldedSubject = subjectWords.map(fold);
  const foldedTokens = tokens.map(fold);
  return {
    subject: new Set(subjectWords),
    tokens,
    shingles: shingles(tokens, 3),
    identifiers,
    // An identifier is a key term of its own: "NW-LT-0417" is one term, not "nw", "lt", "0417".
    terms: new Set([...keyTerms([...foldedSubject, ...foldedTokens]), ...identifiers.filter((id) => !id.includes('@'))]),
    slots: [...slots([...foldedSubject, ...foldedTokens]), ...people.split(' ').filter(Boolean)],
    language: languageOf(foldedTokens),
    moved: movedOn(foldedTokens),
    oneMore: oneMore(foldedTokens),
    subjectTerms: specificSubjectTerms(foldedSubject),
    subjectLine: subjectWords.join(' '),
    followUp: followsUp(foldedTokens),
    allWords: new Set([...subjectWords, ...tokens]),
  };
}

/**
 * Identifiers both name, and whether they name two things. Two of one kind with none of that
 * kind in common disagree (two laptops' tags, two mailboxes). An asset tag disagrees already when
 * one mail names a tag of a kind the other names and the other does not have it: "the same error
 * on PRN-GOT-2F-03 too, PRN-GOT-1F-01 you know about" is a second printer, and a mail that
 * forwards the first one about NW-LT-0302 to ask for data to be moved to NW-LT-0811 is new work.
 * Tags of one scheme but two kinds (NW-LT-…, NW-PC-…) with none in common are two machines too.
 */
function compareIdentifiers(a: string[], b: string[]): Similarity['identifiers'] {
  // A folder and one inside it are one place (`\\fs02\projects` and `…\projects\havenkwartier`).
  const same = (x: string, y: string) => x === y || (kindOf(x) === 'folder' && kindOf(y) === 'folder' && (x.startsWith(`${y}\\`) || y.startsWith(`${x}\\`)));
  const shared = a.filter((id) => b.some((other) => same(id, other)));
  const conflicts = new Set<string>();
  for (const kind of new Set(a.map(kindOf))) {
    const ofA = a.filter((id) => kindOf(id) === kind);
    const ofB = b.filter((id) => kindOf(id) === kind);
    if (!ofB.length) continue;
    // A version or a code of no known shape ("x509", "wd22tb4", a model number) is too loose a
    // kind to disagree on its own: only when the mails share no identifier at all.
    const loose = kind === 'code' || kind === 'version';
    const none = !ofA.some((id) => ofB.some((other) => same(id, other))) && (!loose || !shared.length);
    const newTag = kind.startsWith('tag:') && (ofA.some((id) => !ofB.includes(id)) || ofB.some((id) => !ofA.includes(id)));
    if (none || newTag) conflicts.add(kind);
  }
  // Two assets of one tagging scheme and none in common, though of two kinds: "the same update
  // error, now on the reception PC NW-PC-0112" after NW-LT-0547 is a second machine.
  const scheme = (id: string) => kindOf(id).startsWith('tag:') ? kindOf(id).slice(4).split('-')[0] : undefined;
  const schemesA = new Set(a.map(scheme).filter(Boolean));
  if (!shared.some((id) => scheme(id)) && b.some((id) => schemesA.has(scheme(id)))) conflicts.add('asset');
  return { shared, conflict: conflicts.size > 0 };
}

/** Slots (duplicate-cues.ts) of a kind both name, none in common: another date, room, cost centre, reference, person. */
function slotConflicts(a: string[], b: string[]): string[] {
  const kind = (slot: string) => slot.slice(0, slot.indexOf(':'));
  return [...new Set(a.map(kind))].filter((k) => b.some((s) => kind(s) === k) && !a.some((s) => kind(s) === k && b.includes(s)));
}

/**
 * Key terms (duplicate-cues.ts) the smaller mail shares with the other, as a share of its own,
 * needed to take two mails with no exact evidence against them as one request. A phone resend
 * of two lines shares most of its few terms with the first mail; another request from the same
 * person shares the greeting's neighbours and the app's name, rarely half. Less is needed with
 * an identifier in common (it already says which thing), and less again across two languages,
 * where only names, products and numbers can be shared.
 */
const TERMS_NEEDED = { alone: 0.45, withIdentifier: 0.35, acrossLanguages: 0.2 };
/**
 * Fewer shared key terms than this say nothing, whatever share of a tiny mail they are; across
 * languages an identifier and two names (the tag, "Mac", "Windows") are as much as can be shared.
 */
const MIN_SHARED_TERMS = { sameLanguage: 4, acrossLanguages: 3 };

/** Key terms a follow-up (FOLLOW_UP in duplicate-cues.ts) must share with the other mail. */
const FOLLOW_UP_SHARED = { alone: 3, withIdentifier: 2 };
/** Specific subject terms an identical subject needs, and key terms the mails must share beyond them. */
const SAME_SUBJECT = { specificTerms: 2, moreShared: 2 };
/** At most this many key terms, and no identifier, make a mail vague ("Laptop kaputt. Kann jemand kommen?"). */
const VAGUE_MAX_TERMS = 6;

function vagueMatch(vague: ReadPrint, precise: ReadPrint): boolean {
  // What the vague one names (its room, its date) the precise one must name too.
  if (vague.terms.size > VAGUE_MAX_TERMS || vague.identifiers.length || !vague.subjectTerms.size || !vague.slots.every((slot) => precise.slots.includes(slot))) return false;
  // Its subject's thing in the precise one's subject, or in its text: "Laptop kaputt" and "NW-LT-0733 startet nicht … mein Laptop".
  return [...vague.subjectTerms].every((term) => precise.subjectTerms.has(term) || precise.terms.has(term));
}

/** Whether a names a person its request is for whom b does not mention at all. */
function unmentioned(a: ReadPrint, b: ReadPrint): boolean {
  return a.slots.some((slot) => slot.startsWith('person:') && !slot.slice('person:'.length).split('-').some((name) => b.allWords.has(name)));
}

export function similarity(fingerprintA: string, fingerprintB: string): Similarity {
  const a = readPrint(fingerprintA);
  const b = readPrint(fingerprintB);
  const subject = jaccard(a.subject, b.subject);
  const longBodies = Math.min(a.shingles.size, b.shingles.size) >= MIN_SHINGLES_FOR_CONTAINMENT;
  const body = longBodies ? containment(a.shingles, b.shingles) : jaccard(new Set(a.tokens), new Set(b.tokens));
  const weighted = SUBJECT_WEIGHT * subject + (1 - SUBJECT_WEIGHT) * body;
  const text = longBodies ? Math.max(weighted, body) : weighted;
  const ids = compareIdentifiers(a.identifiers, b.identifiers);
  // Shared identifiers as evidence: an asset tag counts 1 (one laptop can have two problems), an
  // error code, a version or a vendor case number both name 2 (it names one case).
  const sharedRefs = a.slots.filter((slot) => (slot.startsWith('ref:') || slot.startsWith('error:')) && b.slots.includes(slot)).length;
  const strength = 2 * sharedRefs + ids.shared.reduce((n, id) => n + (kindOf(id) === 'address' || kindOf(id) === 'folder' ? 0 : kindOf(id).startsWith('tag:') ? 1 : 2), 0);
  // Two things, however alike the words: two tags or mailboxes (compareIdentifiers), two dates,
  // cost centres or references, the first problem over ("works now"), or the same asked again
  // for something else ("could you also…", "assign me there as well").
  // A request for someone the other mail never mentions ("bitte das SAP-Passwort für Leonie Brandt
  // zurücksetzen" after his own password) is a request for another person.
  const forSomeoneElse = unmentioned(a, b) || unmentioned(b, a);
  const twoThings = ids.conflict || slotConflicts(a.slots, b.slots).length > 0 || a.moved || b.moved || a.oneMore || b.oneMore || forSomeoneElse;
  const shared = intersectionSize(a.terms, b.terms);
  const terms = containment(a.terms, b.terms);
  const translated = a.language !== undefined && b.language !== undefined && a.language !== b.language;
  // An asset tag and an error code or version in common (3) name the same fault on the same
  // thing, however the text was reworded or translated: they need no more words in common than a
  // translation keeps (two mails about one laptop can still be about two faults).
  const needed = translated || strength >= 3 ? TERMS_NEEDED.acrossLanguages : strength > 0 ? TERMS_NEEDED.withIdentifier : TERMS_NEEDED.alone;
  const minShared = translated ? MIN_SHARED_TERMS.acrossLanguages : MIN_SHARED_TERMS.sameLanguage;
  const sameTopic = shared >= minShared && terms >= needed;
  // A mail that says it goes back to an earlier one ("did you get my mail?", "sending this again
  // in English", "the KB article didn't help") restates its request in a line or in another
  // language: naming the same thing is enough (an identifier and one more term, or three terms).
  const followUp = (a.followUp || b.followUp) && (strength > 0 ? shared >= FOLLOW_UP_SHARED.withIdentifier : shared >= FOLLOW_UP_SHARED.alone);
  // The same subject, word for word, that names a thing and not just a kind of mail ("Teams
  // startar inte", "Can't print to the level 3 plotter", not "Help" or "Fehlermeldung in Excel"),
  // with the bodies sharing terms beyond it: the same request again.
  const sameSubject =
    a.subjectLine === b.subjectLine && a.subjectTerms.size >= SAME_SUBJECT.specificTerms && shared - a.subjectTerms.size >= SAME_SUBJECT.moreShared;
  // A vague first mail ("Laptop kaputt", "Skärmen": a line, no identifier) and a precise one whose
  // subject names the same thing: the vague one can say no more, so what it names is enough.
  const vague = vagueMatch(a, b) || vagueMatch(b, a);
  const score = twoThings ? Math.min(text, 0.5) : sameTopic || followUp || sameSubject || vague ? Math.max(text, 0.9) : text;
  return { subject, body, identifiers: ids, score };
}

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}
