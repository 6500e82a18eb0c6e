import { alternation, fromEveryLanguage } from './languages/language.js';
import { isAscii } from './text.js';

/**
 * Cues for duplicate detection (similarity.ts) that read what a mail is about rather than how it
 * is worded: its key terms across languages, the dates, rooms, cost centres, references and
 * people it names, words saying the first problem is over or asking for one more, and the
 * signature card to leave out. Pure. All but the people work on the lower-cased word list a
 * fingerprint keeps, so prints stored before these cues existed are read the same way; the caller
 * folds that list (fold) once for all of them.
 */

/** Lower case without accents: "Lön" and "lon", "Réunion" and "reunion" are one word. */
export function fold(word: string): string {
  if (isAscii(word)) return word.toLowerCase(); // ASCII has no accents: NFD would leave it as it is
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Words that say nothing about the problem, in the languages our requesters write (EN, DE, SV,
 * NL, FR, ES): function words, greetings and sign-offs, and the chasing words every resend adds
 * ("still", "again", "any news", "please help"). Left in, they make two different requests from
 * one person look alike and a short resend look unlike its first mail.
 */
const STOP_WORDS_BY_LANGUAGE: Record<string, Set<string>> = Object.fromEntries(
  Object.entries({
    en: 'a an the and or but if so to of in on at by for from with without into about as is are was were be been being am it its this that these those there here i me my mine we our us you your he she him her his they them their what which who when where why how all any some no not nor only own same than too very can could would should will shall may might must do does did done have has had having get got just also again still now then yet already since after before while until up down out off over under more most other such each both few one two new hi hello dear team thanks thank regards best cheers kind please help someone anyone look quick sorry news mail email sent send sending resend resending yesterday today tomorrow morning afternoon evening week day time works work working issue problem doesn don isn aren wasn weren didn won couldn wouldn shouldn haven hasn',
    de: 'der die das den dem des ein eine einer eines einem einen und oder aber wenn dass daß zu von mit bei für auf aus im in an am um ist sind war waren bin bist sein es ich mich mir mein meine meinen meinem wir uns unser ihr euch sie er ihm ihn ihnen nicht kein keine noch schon wieder immer auch nur so sehr was wer wie wo warum hier da dann jetzt seit nach vor über unter bitte danke hallo gruß grüße viele liebe heute gestern morgen jemand kann könnt können könnte habe hast hat haben wird werden wurde mal gibt neues problem geht mehr sich',
    sv: 'och eller men om att till av med hos för på ur är var vara jag mig min mitt mina vi oss vår ni er han hon den det de dem inte ingen inget ingenting fortfarande redan igen bara så mycket vad vem hur här där nu sedan efter före hej tack hälsningar mvh idag igår imorgon någon kan kunna har hade blir blev som ett en från samma sak gjort länge',
    nl: 'de het een en of maar als dat te van met bij voor op uit is zijn was waren ben ik mij me mijn wij we ons onze jullie jij je u hij zij ze hem haar niet geen nog al weer alleen zo heel wat wie hoe waar hier daar nu sinds na dit deze die hoi hallo dank bedankt groeten groet vriendelijke vandaag gisteren morgen iemand kan kunnen heb hebt heeft hebben wordt worden steeds',
    fr: 'le la les un une des du de et ou mais si que qui à au aux en dans sur par pour avec sans est sont était être suis je me moi mon ma mes nous notre vous votre il elle ils elles lui leur ne pas plus rien toujours encore déjà seulement très quoi comment où ici là maintenant depuis après avant bonjour salut merci cordialement aujourd hui hier demain quelqu peut pouvez pourriez ai as avons avez ont fait ce cette ces se sa son ses on jusqu sinon eu',
    // Spanish: without it a Spanish mail reads as French (languageOf) and its "hola", "para",
    // "los", "gracias" count as key terms shared with any other Spanish mail.
    es: 'el la los las un una unos unas y o pero si que a al de del en con sin por para es son era ser estoy está están este esta esto estos estas mi mis me yo nosotros nos os su sus se lo le les no ni ya todavía aún sigue solo muy qué como cómo donde dónde aquí ahí ahora desde hasta hola buenas buenos días gracias saludo saludos hoy ayer mañana tarde alguien puede podéis podrías puedo he ha han hemos tengo tiene tenemos hay vez nuevo nueva también ninguna ningún nada muchas mucho',
  }).map(([code, list]) => [code, new Set(list.split(' ').map(fold))]),
);
const STOP_WORDS = new Set(Object.values(STOP_WORDS_BY_LANGUAGE).flatMap((set) => [...set]));

/**
 * The language a text is written in, by which language's stop words it uses most (undefined when
 * it has too few to tell). Across languages only names, products and identifiers can be shared,
 * so a translated resend shares fewer key terms with its first mail than a reworded one.
 */
export function languageOf(words: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestCount = 2;
  for (const [code, stops] of Object.entries(STOP_WORDS_BY_LANGUAGE)) {
    let count = 0;
    for (const word of words) if (stops.has(word)) count++;
    if (count > bestCount) [best, bestCount] = [code, count];
  }
  return best;
}

/** A sign-off line ("Kind regards", "Merci,", "Tack!") or "--": the card under it is the sender's own. */
const SIGN_OFF = new RegExp(`^(?:${alternation(fromEveryLanguage((language) => language.signOffs))})[\\s,.!:]*$|^--\\s*$`, 'iu');
const CARD_LINE_MAX_WORDS = 8;

/**
 * The text without the card under each sign-off ("Thanks,\nFelix Schuster\nControlling |
 * Northwind\n+49 40 555 0231"): every mail of one person carries the same card, so left in it
 * makes any two of their requests share a name, a title and a phone number. A card is the
 * short lines after a sign-off line, up to the next line of prose.
 */
export function withoutSignatureCards(text: string): string {
  const kept: string[] = [];
  let inCard = false;
  for (const line of text.split(/\r?\n/)) {
    if (SIGN_OFF.test(line.trim())) {
      inCard = true;
      continue;
    }
    if (inCard && line.trim().split(/\s+/).length <= CARD_LINE_MAX_WORDS) continue;
    inCard = false;
    kept.push(line);
  }
  return kept.join('\n');
}

/**
 * A word's first four letters stand for it (truncation stemming). That joins a word's forms
 * ("printing", "printer"; "piept", "piepen") and many words shared across our languages
 * ("mobile"/"mobiele", "scan"/"scanner", "Tastatur"/"tastatur"). Two different words with one
 * start cost less than a resend missed: the share of key terms needed (similarity.ts) allows it.
 */
const STEM = 4;

/**
 * What a text is about, as a set of stems: its words without stop words, words of one or two
 * letters (the "nw" and "lt" of every asset tag) and numbers of fewer than five digits (times,
 * counts, years, the groups of a phone number in a signature). Words with digits (a build, a
 * case number, an error code) stay whole: "0x800f0922" is not "0x800ccc0e".
 */
export function keyTerms(words: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const word of words) {
    if (word.length < 3 || STOP_WORDS.has(word) || /^\d{1,4}$/.test(word)) continue;
    out.add(/\d/.test(word) ? word : word.slice(0, STEM));
  }
  return out;
}

const MONTHS: Record<string, number> = {};
for (const [i, names] of [
  'january januar janvier januari jan janv enero',
  'february februar fevrier februari feb fevr febrero',
  'march marz mars maart mar marzo',
  'april avril apr abril',
  'may mai maj mei mayo',
  'june juni juin jun junio',
  'july juli juillet jul juil julio',
  'august augusti aout augustus aug agosto',
  'september septembre sep sept septiembre',
  'october oktober octobre oktober okt oct octubre',
  'november novembre nov noviembre',
  'december dezember decembre dec dez diciembre',
].entries()) {
  for (const name of names.split(' ')) MONTHS[name] = i + 1;
}

/** Words that put a number after them as the thing a request is for. */
const LABELS: Record<string, string> = {
  centre: 'cost', center: 'cost', kostenstelle: 'cost', kostenplaats: 'cost', kostnadsstalle: 'cost', cout: 'cost', couts: 'cost',
  // "error 1030", "Laufzeitfehler '1004'", "Fehler 0x80070002", "felkoden 0x8004de40": the number
  // an error message carries names the fault, as a case number names the case.
  error: 'error', errors: 'error', fehler: 'error', laufzeitfehler: 'error', fehlercode: 'error', fout: 'error', foutcode: 'error', fel: 'error', felkod: 'error', felkoden: 'error', erreur: 'error', codigo: 'error',
  ref: 'ref', reference: 'ref', referenz: 'ref', referentie: 'ref', case: 'ref', personalnummer: 'ref', employee: 'ref', personnel: 'ref', order: 'ref', arende: 'ref', dossier: 'ref', zaak: 'ref',
};

/** Verbs asking for software to be put on a machine (the request form, not "installed", a past update). */
const INSTALL = new Set(['install', 'installer', 'installieren', 'installera', 'installeren', 'instalar', 'instaleis']);
/** The word before the verb when it is asked for ("could you install", "pourriez-vous installer", "bitte installieren"), not "trying to install", "install error". */
const ASKING = new Set(['you', 'please', 'pls', 'vous', 'bitte', 'jullie', 'u', 'ni', 'me', 'podeis', 'puedes', 'usted']);
const INSTALL_FILLERS = new Set(['please', 'bitte', 'svp', 'programm', 'software', 'logiciel', 'programvaran', 'programma', 'el', 'la']);

const ROOM_WORDS = new Set(['room', 'raum', 'besprechungsraum', 'konferenzraum', 'rum', 'motesrum', 'konferensrum', 'zaal', 'vergaderzaal', 'vergaderruimte', 'salle']);
/** "Meeting room", "training room" name no room; "another room" is none of the two. */
const GENERIC_ROOM = new Set(['meeting', 'conference', 'training', 'server', 'reunion', 'conference', 'besprechung']);
const ANOTHER = new Set(['another', 'other', 'different', 'anderen', 'anderer', 'annat', 'andra', 'ander', 'andere', 'autre']);
const FILLERS = new Set(['number', 'no', 'nr', 'nummer', 'is', 'ist', 'est', 'ar']);

/** A day of the month written as a number, else 0. */
const dayOf = (w: string) => (/^\d{1,2}$/.test(w) && Number(w) >= 1 && Number(w) <= 31 ? Number(w) : 0);

/**
 * What a request is for, named exactly, by kind: the dates (`date:14-1`), rooms (`room:elbe`),
 * cost centres (`cost:4100`) and reference numbers (`ref:44817`, a vendor case or personnel
 * number) it names. Two mails that both name one kind and share none of it are about two things:
 * the same AV booking for another day or room, the same order on another cost centre, the same
 * template for another person.
 */
export function slots(words: readonly string[]): string[] {
  const out = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const next = words[i + 1] ?? '';
    // "9 de febrero", "9 February", "den 9 februari" (Spanish puts "de" between day and month).
    const month = MONTHS[next] ?? (next === 'de' ? MONTHS[words[i + 2] ?? ''] : undefined);
    if (dayOf(word) && month) out.add(`date:${dayOf(word)}-${month}`);
    else if (MONTHS[word] && word.length > 3 && dayOf(next)) out.add(`date:${dayOf(next)}-${MONTHS[word]}`);
    // "room Elbe", "Raum Alster", "the Thames room": the words either side of a room word both
    // stand for the room, so that two mails disagree only when they share neither.
    if (ROOM_WORDS.has(word) && !ANOTHER.has(words[i - 1] ?? '')) {
      for (const name of [next, words[i - 1] ?? '']) {
        if (name && !STOP_WORDS.has(name) && !ROOM_WORDS.has(name) && !GENERIC_ROOM.has(name) && !MONTHS[name]) out.add(`room:${name}`);
      }
    }
    // "case 198765432", "case number is 198765432", "cost centre 4100", "employee no. 30158"
    // (not a bare "number": a phone number names a line, not a request).
    const label = LABELS[word];
    let j = i + 1;
    while (j < i + 3 && FILLERS.has(words[j] ?? '')) j++;
    if (label && (/^\d{3,}$/.test(words[j] ?? '') || (label === 'error' && /^0x[0-9a-f]{4,}$/.test(words[j] ?? '')))) out.add(`${label}:${words[j]}`);
    // "install QGIS", "installer Notepad++", "QGIS installieren": the software a request names is
    // what it is for; two installs on one laptop under one subject are two requests.
    if (INSTALL.has(word) && ASKING.has(words[i - 1] ?? '')) {
      const what = [words[i + 1], words[i + 2]].find((w) => w && !STOP_WORDS.has(w) && !INSTALL_FILLERS.has(w) && /\p{L}/u.test(w));
      if (what) out.add(`install:${what}`);
    }
  }
  return [...out];
}

/**
 * Not negated: "geht wieder nicht", "werkt nu niet", "is not working now" are the same fault
 * again, not a fixed one.
 */
const NOT_NEGATED = '(?! (?:not|nicht|niet|inte|pas)\\b)';
const NEGATION_BEFORE = '(?<!\\b(?:not|no|t|never|nicht|nie|niet|nooit|inte|aldrig|pas|jamais) )';

/**
 * Words saying the earlier problem is over or this is another one ("works now", "thanks for the
 * quick fix", "new problem", "a different machine"): a follow-up that forwards or repeats the
 * first mail is still a new request.
 */
const MOVED_ON = new RegExp(
  `${NEGATION_BEFORE}\\b(?:${[
    'works now', 'working now', 'works again', 'working again', 'is fine again', 'are fine again', 'fine again', 'works great', 'is fixed', 'new problem', 'new issue', 'another problem', 'another issue', 'different problem', 'one more thing',
    'funktioniert jetzt', 'funktioniert wieder', 'geht wieder', 'lauft wieder', 'ist behoben', 'neues problem', 'anderes problem', 'noch etwas',
    'fungerar nu', 'fungerar igen', 'nytt problem', 'ett annat problem', 'en sak till',
    'werkt weer', 'werkt nu', 'kan weer', 'nieuw probleem', 'ander probleem', 'is opgelost',
    'ya funciona', 'vuelve a funcionar', 'funciona de nuevo', 'otro problema', 'nuevo problema', 'otra cosa', 'otra pregunta',
    'fonctionne a nouveau', 'marche a nouveau', 'fonctionne de nouveau', 'nouveau probleme', 'autre probleme', 'est resolu',
    'fixed now', 'now fixed', 'has been fixed', 'is sorted', 'all sorted', 'sorted now', 'is resolved', 'has been resolved', 'works fine now', 'working fine now',
    'ist gelost', 'hat sich erledigt', 'klappt wieder', 'klappt jetzt', 'lauft jetzt', 'funkar nu', 'funkar igen', 'ar lost', 'ar fixat',
    'doet het weer', 'werkt het weer', 'is verholpen', 'c est regle', 'fonctionne maintenant', 'marche maintenant',
    // Thanks for work already done: the first request is over.
    'thanks for the quick help', 'thanks for the quick fix', 'thanks for the quick swap', 'thanks for fixing', 'thank you for fixing', 'thanks for the new', 'thank you for the new',
    'danke fur die schnelle hilfe', 'danke fur das neue', 'danke fur den neuen', 'danke fur die neue', 'tack for hjalpen', 'tack for den nya', 'tack for det nya',
    'bedankt voor de snelle hulp', 'dank voor de snelle hulp', 'dank voor het aanzetten', 'merci pour le nouveau', 'merci pour la nouvelle',
    // Saying outright that this is something else.
    'another one on the same', 'new request', 'separate request', 'separate issue', 'unrelated', 'different request', 'different question', 'another question',
    'different (?:machine|device|laptop|computer|pc|printer|phone|account|user|person|app|application|mailbox)',
    'neue anfrage', 'anderes thema', 'andere frage', 'anderes gerat', 'anderer rechner', 'anderer drucker',
    'en annan fraga', 'ny fraga', 'nieuwe vraag', 'andere vraag', 'nouvelle demande', 'autre question', 'autre demande',
    'separate thing', 'a separate',
    // Apart from the earlier mail: "Los van mijn mail van vanochtend over de laptop: …".
    'apart from my', 'unabhangig von meine', 'oberoende av mitt', 'los van mijn', 'independamment de mon',
    'thanks for sorting', 'thank you for sorting', 'danke furs', 'tack for att ni fixade',
  ].join('|')})\\b${NOT_NEGATED}`,
);

export function movedOn(words: readonly string[]): boolean {
  return MOVED_ON.test(words.join(' '));
}

/**
 * Words asking for the same thing again for something else: "could you also …", "assign me
 * there as well", "bitte dasselbe auch für …", "ik heb ook toegang nodig". The same request for
 * a second app, room or person is a second piece of work, however alike the wording; a resend
 * chases the first thing, it does not add one. ("One more detail", "noch ein Screenshot", "this
 * time it crashed" add to the first request, so they are not cues.)
 */
const ONE_MORE = new RegExp(
  `\\b(?:${[
    // "Could you also set up…" (not "could you also call me", which chases the first).
    '(?:could|can|would) (?:you|someone)(?: please)? also (?!call|ring|phone|let|tell|update)',
    // Another of the same for someone or somewhere else, or a second thing while writing anyway.
    'order another', 'another one for', 'this time for', 'noch eine bestellung', 'nog een bestelling', 'en bestallning till', 'une autre commande', 'otro pedido',
    'while i think of it', 'while i m at it', 'while i am at it', 'wo ich gerade dabei bin', 'nu ik toch', 'nu nar jag anda', 'tant que j y suis', 'ya que estoy',
    '(?:install|allow|assign|add|give|grant|enable|order|set up|do|check|look at) (?:it|me|them|this one|that one)(?: there)? (?:as well|too)',
    'dasselbe auch', 'bitte gebt auch', 'konnt ihr auch', 'konnen sie auch', 'brauche auch',
    'kan ni ocksa', 'behover ocksa',
    'kunnen jullie ook', 'heb ook (?:\\S+ ){0,3}nodig',
    'pourriez vous aussi', 'une autre demande',
  ].join('|')})`,
);

export function oneMore(words: readonly string[]): boolean {
  return ONE_MORE.test(words.join(' '));
}

/**
 * Who a request is for, when it says so: "for Lena Fischer", "agency worker Piotr Nowak", "neue
 * Mitarbeiterin Amira El Idrissi" (`person:lena-fischer`). Read from the text as written, since
 * only capitals tell a name from words. The same account, access or onboarding for another
 * person is another request, however alike the two mails are.
 */
const FOR_PERSON_WORDS = [
  'for', 'für', 'voor', 'för', 'pour', 'agency worker', 'new starter', 'new trainee', 'new colleague', 'neuer Mitarbeiter', 'neue Mitarbeiterin', 'neuer Kollege', 'neue Kollegin',
  'nieuwe collega', 'ny medarbetare', 'nya kollega', 'ny kollega', 'nouveau collaborateur', 'nouvelle collaboratrice', 'nouveau collègue', 'nouvelle collègue', 'nuevo compañero', 'nueva compañera',
];
/** Between "for" and the name: "for our apprentice Liam Foster", "für unsere neue Praktikantin Lea Kurz". */
const WHO = '(?:(?:our|my|unsere?n?|meine?n?|onze|mijn|var|vår|min|mitt|notre|mon|ma|nuestr[oa])\\s+)?(?:(?:new|neuen?|neuer|nieuwe|ny|nya|nouvel(?:le)?|nouveau|nuev[oa])\\s+)?(?:(?:apprentice|trainee|intern|colleague|assistant|temp|azubi|praktikant(?:in)?|kollegin|kollegen|stagiair|stagiaire|lärling|kollega|collega|collègue|becario|becaria)\\s+)?';
const FOR_PERSON = new RegExp(
  // "for our new trainee, Kwame Boateng": a comma may part the words from the name.
  `\\b(?:${FOR_PERSON_WORDS.map((w) => `[${w[0]}${w[0]!.toUpperCase()}]${w.slice(1)}`).join('|')}),?\\s+${WHO}` +
    `(\\p{Lu}\\p{Ll}+(?:[ -](?:(?:van|de|der|den|von|el|al|da|du|la)[ -])*\\p{Lu}\\p{Ll}+){1,2})`,
  'gu',
);
/** At most this many per text: a pasted list of names says nothing more. */
const MAX_PEOPLE = 5;
/** Vendors and product families, whose names look like a person's: "for Microsoft Teams". */
const NOT_A_PERSON = new Set(['microsoft', 'adobe', 'google', 'apple', 'dell', 'lenovo', 'cisco', 'creative', 'visual', 'power', 'project', 'office', 'windows', 'teams', 'sharepoint', 'outlook', 'excel', 'word', 'company', 'sales', 'finance', 'marketing', 'legal']);

export function namedPeople(text: string): string[] {
  const names = [...text.matchAll(FOR_PERSON)].map((m) => fold(m[1]!).split(/[ -]+/)).filter((name) => !NOT_A_PERSON.has(name[0]!));
  return [...new Set(names.map((name) => `person:${name.join('-')}`))].slice(0, MAX_PEOPLE);
}

/**
 * Subject words that name a kind of mail, not a problem or a thing: "Help", "IT issue",
 * "Problem", "Fråga", "Fehlermeldung in Excel", "Installation de logiciel", "Laptop kaputt". Two
 * mails titled "Help" share no subject at all; what is left ("Excel", "Laptop") is what the
 * subject says. Stems, as key terms are.
 */
const GENERIC_SUBJECT_WORDS = new Set(
  [
    'help hilfe hjalp hulp aide ayuda urgent urgente dringend brådskande quick small question questions frage fråga vraag pregunta',
    'issue issues problem problems probleme problème problema problemen trouble thing sache',
    'error errors fehler fehlermeldung meldung fel felmeddelande fout foutmelding erreur message',
    'request anfrage demande solicitud verzoek aanvraag förfrågan begäran',
    // A password reset or a new starter is a kind of request; the system or the person is the thing.
    'password passwort passwörter wachtwoord lösenord contraseña mot passe reset zurücksetzen réinitialisation återställ återställa resetten restablecer unlock entsperren',
    'onboarding medewerker mitarbeiter mitarbeiterin medarbetare collaborateur employee nieuwe neuer neue nouveau nouvelle nuevo',
    'installation install installieren installera installeren instalar software logiciel programvara',
    'access zugriff toegang acceso accès åtkomst behörighet',
    'broken kaputt defekt kapot stuk trasig cassé roto averiado',
    'it ict support servicedesk helpdesk ticket',
  ]
    .join(' ')
    .split(' ')
    .map((w) => fold(w).slice(0, STEM)),
);

/** A subject's key terms without the words that only name a kind of mail (GENERIC_SUBJECT_WORDS). */
export function specificSubjectTerms(words: readonly string[]): Set<string> {
  return new Set([...keyTerms(words)].filter((term) => !GENERIC_SUBJECT_WORDS.has(term)));
}

/**
 * Words saying this mail goes back to an earlier one about the same thing: "did you get my
 * mail?", "I haven't heard back", "any news?", "sending this again in English", "ich hatte gestern
 * gemeldet", "vorige mail", "relance", "¿habéis recibido…?", and "I followed the knowledge-base
 * article, still the same" (the desk's first answer). Such a mail restates its request briefly,
 * or in another language, so it shares few words with the first: naming the same thing is enough.
 * Not "my other email" (that points away: "the fan is in my other email").
 */
const FOLLOW_UP = new RegExp(
  `\\b(?:${[
    'did you (?:get|receive) my', 'did my (?:\\S+ )?(?:mail|email|message) (?:arrive|get through)', 'haven t heard', 'have not heard', 'not heard back', 'heard nothing', 'no (?:reply|response|answer) yet',
    'any (?:news|update|updates)\\b', 'just checking (?:on|in)', 'following up', 'follow up on', 'chasing', 'my (?:earlier|previous|first|last) (?:mail|email|message)',
    'i (?:emailed|wrote|mailed|reported) (?:\\S+ ){0,3}(?:yesterday|earlier|this morning|on (?:monday|tuesday|wednesday|thursday|friday))', 'i asked for (?:\\S+ ){0,2}on (?:monday|tuesday|wednesday|thursday|friday)',
    'wie gestern', 'like yesterday', 'same as yesterday', 'som igar', 'zoals gisteren', 'comme hier', 'como ayer',
    'reminder', 'erinnerung', 'paminnelse', 'herinnering', 'rappel', 'recordatorio',
    'still having the (?:same )?(?:problem|issue)', 'still the same', 'immer noch (?:das|dasselbe|der|die) (?:gleiche|selbe)', 'nog steeds hetzelfde', 'toujours le meme', 'sigue igual',
    'sending this again', 'writing again', 'second time i m writing', 'this is the second time', 'zum zweiten mal', 'andra gangen jag skriver', 'tweede keer dat ik', 'deuxieme fois que j', 'segunda vez que escribo',
    'still no', 'immer noch kein', 'fortfarande ingen', 'nog steeds geen', 'toujours pas de', 'sigo sin',
    'jag skrev (?:i|igar|i gar|i morse|forra)', 'ich (?:habe|hatte) (?:\\S+ ){0,3}geschrieben', 'ik (?:heb|had) (?:\\S+ ){0,3}(?:gemaild|geschreven)', 'j ai (?:deja )?ecrit', '(?:ya )?(?:os|les) escribi',
    'inte fatt (?:nagot )?svar', 'keine antwort', 'geen antwoord', 'pas de reponse', 'again in english', 'in english in case', 'hi again', 'hello again',
    'ich hatte (?:\\S+ ){0,3}gemeldet', 'hatte ich (?:\\S+ ){0,3}gemeldet', 'keine ruckmeldung', 'noch keine antwort', 'warte ich', 'ich warte', 'meine (?:letzte|vorige|erste) (?:mail|e mail|nachricht)', 'hallo nochmal',
    'vorige mail', 'eerdere mail', 'mijn mail van', 'nog geen reactie', 'nog niets gehoord', 'hoi nogmaals',
    'fick ni mitt', 'mitt (?:forra|tidigare) (?:mejl|mail)', 'har inte hort', 'hej igen',
    'relance', 'relancer', 'des nouvelles', 'avez vous (?:bien )?recu mon', 'mon (?:precedent|dernier|premier) (?:mail|message)', 'je vous ai ecrit',
    'habeis recibido', 'recibisteis', 'mi correo anterior', 'hola de nuevo', 'alguna novedad', 'sin respuesta',
    'kunskapsbas', 'kb artikel', 'kb article', 'knowledge base', 'base de conocimiento', 'wissensdatenbank', 'kennisbank', 'base de connaissances',
    // More detail on the earlier mail: "More on the Teams problem:", "Even wat meer informatie:", "Nachtrag:".
    'more on the', 'more about the', 'further to my', 'more (?:information|info|details) (?:on|about)', 'wat meer informatie', 'meer informatie over', 'aanvulling', 'nachtrag', 'erganzung zu',
    'tillagg', 'mer information om', 'complement d information', 'plus d informations sur', 'mas informacion sobre',
    // Still not working: "sigo sin poder entrar", "immer noch nicht", "fortfarande inte".
    'sigo sin', 'sigue sin', 'still (?:can t|cannot|not|won t|doesn t)', 'immer noch nicht', 'noch immer nicht', 'fortfarande inte', 'nog steeds niet', 'toujours pas',
  ].join('|')})`,
);

/**
 * Where a forwarded or quoted message starts in a mail's words: the separators the visible text
 * knows in every language ("Begin forwarded message", "-----Original Message-----"), as a
 * fingerprint spells them (folded, punctuation gone). What follows is not the writer's.
 */
const FORWARDED = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${alternation(
    fromEveryLanguage((language) => [...(language.forwardSeparator ?? []), ...(language.originalMessage ?? []), ...(language.forwardIntro ?? [])]).map((marker) =>
      fold(marker).split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' '),
    ),
  )})(?![\\p{L}\\p{N}])`,
  'u',
);

/**
 * Whether the writer says the mail goes back to an earlier one. Only their own words count: a
 * forwarded invoice's "final reminder" is no chase of ours.
 */
export function followsUp(words: readonly string[]): boolean {
  const text = words.join(' ');
  const own = text.split(FORWARDED, 1)[0]!;
  return FOLLOW_UP.test(own);
}
