/**
 * Is a reply only thanks or an acknowledgement? It decides whether a requester's reply to a
 * resolved ticket reopens it. No I/O.
 *
 * It fails safe: a word it does not know counts as news, so a new problem is never filed away as
 * a thank-you; the opposite mistake only reopens a ticket that staff resolve again.
 *
 * The rules, in order (the first that decides gives the reason):
 * 1. An empty text is not thanks: nothing was said.
 * 2. A text longer than MAX_WORDS words or MAX_CHARS characters is more than thanks.
 * 3. A question mark, or a word that turns thanks into news ("but", "still", "not", "also",
 *    "aber", "mais", "pero", "men", "でも" …), means there is more to it.
 * 4. Every word must be thanks or an acknowledgement ("thanks", "works", "merci", "👍"), words
 *    that go with them ("so much", "now", "for the quick help"), a greeting, a sign-off, or a
 *    name: up to three capitalised words next to a thanks or greeting word on their line
 *    ("Thanks Alex", "thank you Priya"), a last line of one to three capitalised words
 *    ("Maria Garcia"), or "…さん" in Japanese. Runs of Japanese or
 *    Chinese have no spaces, so they must split wholly into known phrases.
 * 5. At least one word must be thanks or an acknowledgement.
 */
import { normaliseText } from './patterns.js';

export interface ThanksVerdict {
  onlyThanks: boolean;
  /** Why, in words: the word that made it more than thanks, or the thanks words found. */
  reason: string;
}

/** "Thank you so much for the quick help, everything works perfectly now 👍 Best regards, Maria Garcia" fits. */
const MAX_WORDS = 25;
const MAX_CHARS = 200;

/** Thanks and acknowledgements: one of these must be there. */
const THANKS_WORDS = new Set([
  // English
  'thanks', 'thank', 'thx', 'thnx', 'thanx', 'tnx', 'ty', 'tysm', 'cheers', 'appreciated', 'appreciate',
  'perfect', 'perfectly', 'great', 'awesome', 'brilliant', 'excellent', 'fantastic', 'wonderful', 'amazing',
  'lovely', 'super', 'cool', 'nice', 'ok', 'okay', 'okey', 'kk', 'alright', 'noted', 'understood', 'got',
  'gotcha', 'roger', 'fixed', 'solved', 'sorted', 'resolved', 'works', 'working', 'worked', 'good', 'fine',
  // German
  'danke', 'dankeschön', 'dank', 'prima', 'klasse', 'toll', 'perfekt', 'passt', 'funktioniert', 'geht',
  'läuft', 'klappt', 'geklappt', 'erledigt', 'gut', 'top', 'wunderbar',
  // French
  'merci', 'parfait', 'génial', 'marche', 'fonctionne', "d'accord", 'reçu', 'nickel',
  // Spanish, Italian, Portuguese
  'gracias', 'perfecto', 'genial', 'vale', 'listo', 'funciona', 'grazie', 'perfetto', 'ottimo',
  'obrigado', 'obrigada', 'valeu', 'perfeito', 'funcionou',
  // Dutch, Scandinavian, Finnish, Polish, Russian, Korean
  'bedankt', 'dankjewel', 'dankuwel', 'werkt', 'tack', 'toppen', 'bra', 'fungerar', 'funkar', 'okej',
  'tak', 'takk', 'virker', 'kiitos', 'dziękuję', 'dzięki', 'dzieki', 'спасибо', '감사합니다', '고맙습니다',
  // Emoji
  '👍', '🙏', '👌', '✅', '✔', '🙂', '😊', '😀', '😃', '😄', '😁', '🎉', '🙌', '❤', '💯', '🥳', '☺', '👏', '🤝', '😍', '💪', '✨',
]);

/** Greetings: a capitalised word after one is a name ("Hi Priya"). */
const GREETING_WORDS = new Set([
  'hi', 'hello', 'hey', 'dear', 'hallo', 'hej', 'hei', 'moin', 'servus', 'bonjour', 'salut', 'hola', 'ciao',
  'buongiorno', 'morning', 'afternoon', 'evening',
]);

/** Words that go with thanks, and sign-offs; they are allowed but are not thanks on their own. */
const FILLER_WORDS = new Set([
  // English
  'you', 'u', 'so', 'much', 'very', 'a', 'lot', 'lots', 'loads', 'tons', 'heaps', 'million', 'many', 'for',
  'the', 'your', 'this', 'that', "that's", 'all', 'it', "it's", 'is', 'now', 'again', 'once', 'really',
  'indeed', 'truly', 'absolutely', 'totally', 'definitely', 'hugely', 'everything', 'everyone', 'help',
  'helping', 'quick', 'fast', 'prompt', 'speedy', 'response', 'reply', 'fix', 'support', 'guys', 'team',
  'folks', 'and', 'too', 'as', 'always', 'me', 'my', 'to', 'did', 'trick', 'just', 'oh', 'ah', 'yes', 'yep',
  'yeah', 'sure', 'well', 'of', 'was', 'i', 'we', 'our', 'am', 'have', 'has', 'problem', 'issue', 'solution',
  'seems', 'be', 'right', 'will', 'do', 'best', 'regards', 'kind', 'kindest', 'warm', 'warmest', 'wishes',
  'br', 'rgds', 'sincerely', 'yours', 'day', 'weekend',
  // German
  'vielen', 'vielmals', 'herzlichen', 'herzlich', 'besten', 'sehr', 'schön', 'alles', 'jetzt', 'wieder',
  'es', 'das', 'für', 'die', 'hilfe', 'schnelle', 'ihre', 'deine', 'dir', 'ihnen', 'euch', 'und', 'grüße',
  'gruß', 'viele', 'liebe', 'lg', 'mfg', 'beste', 'freundliche', 'mit', 'freundlichen', 'ja', 'hat', 'ganz',
  'schönen', 'tag',
  // French
  'beaucoup', 'mille', 'ça', "c'est", 'très', 'bien', 'pour', 'votre', 'ton', "l'aide", 'aide', 'tout',
  'maintenant', 'encore', 'cordialement', 'bonne', 'journée', 'de', 'la', 'le', 'les', 'et', 'oui', 'vous',
  // Spanish, Italian, Portuguese
  'muchas', 'muchísimas', 'mil', 'todo', 'ya', 'por', 'su', 'tu', 'ayuda', 'ahora', 'nuevo', 'saludos',
  'un', 'saludo', 'atentamente', 'sí', 'y', 'tutto', 'ora', 'adesso', 'per', "l'aiuto", 'aiuto', 'saluti',
  'cordiali', 'muito', 'muita', 'tudo', 'certo', 'agora', 'pela', 'abraços',
  // Dutch, Scandinavian, Finnish, Polish, Russian, Korean
  'je', 'wel', 'hartelijk', 'heel', 'erg', 'veel', 'weer', 'nu', 'groeten', 'met', 'vriendelijke', 'voor',
  'hulp', 'så', 'mycket', 'det', 'igen', 'för', 'hjälpen', 'hälsningar', 'vänliga', 'med', 'vänlig',
  'hälsning', 'mvh', 'allt', 'mange', 'hjelpen', 'hjælpen', 'nå', 'hilsen', 'venlig', 'paljon', 'kovasti',
  'bardzo', 'wielkie', 'большое', 'огромное', '정말', '대단히',
]);

/** Words that turn thanks into news. Whole words, in the languages of THANKS_WORDS. */
const NEWS_WORDS = new Set([
  'but', 'still', 'however', 'though', 'although', 'unfortunately', 'not', 'no', 'nothing', 'never', 'cannot',
  'also', 'another', 'more', 'except', 'anymore', 'broke', 'broken', 'error', 'errors', 'fail', 'fails',
  'failed', 'failing', 'crash', 'crashes', 'crashed', 'down', 'wrong',
  'aber', 'nicht', 'kein', 'keine', 'noch', 'leider', 'jedoch', 'trotzdem', 'fehler', 'kaputt',
  'mais', 'pas', 'toujours', 'cependant', 'erreur', 'problème',
  'pero', 'todavía', 'aún', 'sin', 'problema', 'ma', 'non', 'ancora', 'però', 'mas', 'não', 'ainda',
  'maar', 'niet', 'nog', 'geen', 'men', 'inte', 'fortfarande', 'ännu', 'fel', 'ikke', 'ei', 'nie',
  'но', 'не', 'ещё', 'еще', '하지만', '그런데', '아직',
]);
/** "don't", "doesn't", "isn't" … */
const NEGATED = /n't$/;
/** The same for Japanese and Chinese, found inside unspaced runs. "すみません" is an apology, not a negation. */
const NEWS_CJK = /でも|しかし|けど|けれど|まだ|エラー|(?<!すみ)ません|ない|但|还|還|仍|不|没|沒/u;

/** Phrases an unspaced Japanese or Chinese run must split into. */
const CJK_THANKS = [
  'ありがとうございます', 'ありがとうございました', 'ありがとう', '有難うございます', '有難うございました',
  '有り難うございます', 'どうも', '助かりました', '助かります', '了解しました', '了解です', '了解',
  '承知しました', '承知いたしました', '解決しました', '直りました', '大丈夫です', 'お世話になりました',
  '感謝します', '感謝いたします', '感謝', '谢谢', '謝謝', '多谢', '多謝', '感谢',
];
const CJK_FILLER = [
  '本当に', 'ほんとうに', '大変', 'とても', '早速', '迅速な', 'ご対応', '対応', 'いただき', '頂き', 'まして',
  'しました', 'ました', 'です', 'ございます', 'ございました', 'よろしくお願いします', 'よろしくお願いいたします',
  '今後とも', 'お疲れ様です', '皆さん', '皆様', 'の', 'で', 'に', 'も', 'ね', 'よ', '非常', '你', '您', '了', '啊',
];
const CJK_PIECES = [...CJK_THANKS.map((p) => ({ p, thanks: true })), ...CJK_FILLER.map((p) => ({ p, thanks: false }))].sort(
  (a, b) => b.p.length - a.p.length,
);
/** "田中さん", "佐藤様": a name with its honorific. */
const CJK_NAME = /^[\p{Script=Han}\p{Script=Katakana}]{1,5}(?:さん|様|さま)/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** Words (with inner apostrophes) and single emoji; punctuation, variation selectors and skin tones fall away. */
const TOKEN = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:'[\p{L}\p{M}]+)*|\p{Extended_Pictographic}/gu;
/** A name is at most this many words ("Maria Garcia Lopez"). */
const MAX_NAME_WORDS = 3;
/** A line that is only a name: one to three capitalised words, perhaps after a dash. */
const NAME_LINE = /^[-–—~\s]*\p{Lu}[\p{L}'.-]*(?:\s+\p{Lu}[\p{L}'.-]*){0,2}[\s.,!]*$/u;

type TokenKind = 'thanks' | 'greeting' | 'filler' | 'name' | 'capitalised' | 'unknown';

interface Token {
  text: string;
  kind: TokenKind;
}

export function isOnlyThanks(visibleText: string): boolean {
  return thanksVerdict(visibleText).onlyThanks;
}

export function thanksVerdict(visibleText: string): ThanksVerdict {
  const text = normaliseText(visibleText).trim();
  if (!text) return no('the reply is empty');
  if (text.replace(/\s+/g, ' ').length > MAX_CHARS) return no(`longer than ${MAX_CHARS} characters: more than thanks`);

  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const tokens = lines.map((line) => [...line.matchAll(TOKEN)].map((m) => classify(m[0])));
  const count = tokens.flat().length;
  if (count > MAX_WORDS) return no(`${count} words: more than thanks`);
  if (/[?？]/.test(text)) return no('it asks a question');
  const news = tokens.flat().find((t) => NEWS_WORDS.has(lower(t.text)) || NEGATED.test(lower(t.text)));
  if (news) return no(`"${news.text}" says there is more to it`);
  const newsCjk = NEWS_CJK.exec(text);
  if (newsCjk) return no(`"${newsCjk[0]}" says there is more to it`);

  // The sender's name on a last line of its own ("Thanks Alex!\n\nMaria Garcia").
  const last = tokens.length - 1;
  if (last > 0 && NAME_LINE.test(lines[last]!) && tokens[last]!.every((t) => t.kind === 'capitalised')) {
    for (const t of tokens[last]!) t.kind = 'name';
  }
  // Up to three capitalised words next to thanks or a greeting on their line are a name ("thank you Priya", "Alex, thanks").
  for (const line of tokens) {
    line.forEach((t, i) => {
      if (t.kind !== 'thanks' && t.kind !== 'greeting' && lower(t.text) !== 'you') return;
      for (const step of [1, -1]) {
        for (let j = i + step, n = 0; n < MAX_NAME_WORDS && line[j]?.kind === 'capitalised'; j += step, n++) line[j]!.kind = 'name';
      }
    });
  }
  const flat = tokens.flat();
  const stranger = flat.find((t) => t.kind === 'unknown' || t.kind === 'capitalised');
  if (stranger) return no(`"${stranger.text}" is more than thanks`);
  const thanks = flat.filter((t) => t.kind === 'thanks').map((t) => `"${t.text}"`);
  if (!thanks.length) return no('no word of thanks or acknowledgement');
  return { onlyThanks: true, reason: `only thanks or an acknowledgement (${[...new Set(thanks)].join(', ')})` };
}

function no(reason: string): ThanksVerdict {
  return { onlyThanks: false, reason };
}

function lower(word: string): string {
  return word.toLowerCase();
}

function classify(word: string): Token {
  const w = lower(word);
  if (CJK.test(w)) return { text: word, kind: classifyCjk(w) };
  if (THANKS_WORDS.has(w)) return { text: word, kind: 'thanks' };
  if (GREETING_WORDS.has(w)) return { text: word, kind: 'greeting' };
  if (FILLER_WORDS.has(w)) return { text: word, kind: 'filler' };
  return { text: word, kind: /^\p{Lu}/u.test(word) ? 'capitalised' : 'unknown' };
}

/** Splits an unspaced run into known phrases, longest first; a run that does not split is unknown. */
function classifyCjk(run: string): TokenKind {
  let thanks = false;
  let named = false;
  for (let at = 0; at < run.length; ) {
    const rest = run.slice(at);
    const piece = CJK_PIECES.find((c) => rest.startsWith(c.p));
    if (piece) {
      thanks ||= piece.thanks;
      at += piece.p.length;
      continue;
    }
    const name = CJK_NAME.exec(rest);
    if (!name) return 'unknown';
    named = true;
    at += name[0].length;
  }
  return thanks ? 'thanks' : named ? 'name' : 'filler';
}
