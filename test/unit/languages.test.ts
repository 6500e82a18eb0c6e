/**
 * The per-language words (src/domain/languages/): every word of every listed language works in
 * the rule that reads it, and a language or a word added to the list reaches every rule with no
 * other edit. A new language gets these checks for free; add a real mail in it to
 * visible-text.test.ts as well.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromEveryLanguage, LANGUAGES, type HeaderField, type Language } from '../../src/domain/languages/language.js';
import { classifyMachineMail } from '../../src/domain/machine-mail.js';
import { normaliseSubject } from '../../src/domain/similarity.js';
import { isForwardSubject } from '../../src/domain/subject-prefixes.js';
import { replySubject } from '../../src/mail/compose.js';
import { extractVisibleText, isMobileSignature } from '../../src/mail/visible-text.js';
import { message, northwind } from '../support/message.js';

const mail = (...lines: string[]) => lines.join('\n');
const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

describe('the language list', () => {
  it('names each language once', () => {
    const codes = LANGUAGES.map((language) => language.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('gives an Outlook field name one meaning in every language', () => {
    const meaning = new Map<string, string>();
    const conflicts: string[] = [];
    for (const language of LANGUAGES) {
      for (const [field, names] of Object.entries(language.headerFields ?? {})) {
        for (const name of names ?? []) {
          if ((meaning.get(name) ?? field) !== field) conflicts.push(`${language.code}: '${name}' is ${field} and ${meaning.get(name)}`);
          meaning.set(name, field);
        }
      }
    }
    expect(conflicts).toEqual([]);
  });
});

describe('every word of every language is recognised', () => {
  const own = 'The VPN drops every ten minutes.';

  it.each(fromEveryLanguage((language) => language.wrote))('reply header ending "%s:"', (word) => {
    const visible = extractVisibleText(mail(own, '', `On Mon, 5 Jan 2026 at 10:01, Sam <sam@example.com> ${word}:`, '> Does it still drop?'));
    expect(visible.text).toBe(own);
    expect(visible.quoted).toBe(true);
  });

  it.each(fromEveryLanguage((language) => language.wroteBeforeName))('reply header with "%s" before the name', (word) => {
    const visible = extractVisibleText(mail(own, '', `Am 05.01.2026 um 10:01 ${word} Sam:`, '> Does it still drop?'));
    expect(visible.text).toBe(own);
  });

  it.each(fromEveryLanguage((language) => language.headerOpeners))('reply header opening with "%s"', (word) => {
    const visible = extractVisibleText(mail(own, '', `${capitalised(word)} 05.01.2026 um 10:01 schrieb Sam:`, '> Does it still drop?'));
    expect(visible.text).toBe(own);
  });

  it.each(fromEveryLanguage((language) => language.originalMessage))('"-----%s-----"', (word) => {
    const visible = extractVisibleText(mail(own, '', `-----${capitalised(word)}-----`, 'From: IT Support', '', 'Please restart.'));
    expect(visible.text).toBe(own);
    expect(visible.reason).toContain('of history');
  });

  it.each(fromEveryLanguage((language) => language.forwardSeparator))('"---------- %s ---------" keeps the forward', (word) => {
    const visible = extractVisibleText(mail('FYI', '', `---------- ${capitalised(word)} ---------`, 'From: Vendor <v@example.com>', '', 'Your licence expires.'));
    expect(visible.reason).toMatch(/^kept the forwarded message below/);
    expect(visible.text).toContain('Your licence expires.');
  });

  it.each(fromEveryLanguage((language) => language.forwardIntro))('"%s:" keeps the forward', (word) => {
    const visible = extractVisibleText(mail('FYI', '', `${capitalised(word)}:`, '', 'From: Vendor <v@example.com>', 'Your licence expires.'));
    expect(visible.reason).toMatch(/^kept the forwarded message below/);
  });

  const fields = LANGUAGES.flatMap((language) =>
    Object.entries(language.headerFields ?? {}).flatMap(([field, names]) => (names ?? []).map((name) => [name, field as HeaderField] as const)),
  );
  it.each(fields)('Outlook block field "%s" (%s)', (name, field) => {
    // From, Sent and Subject, the field under test in place of its own or of Subject.
    const block: Record<string, string> = { from: 'IT Support <support@example.com>', date: 'Monday, 5 January 2026 10:01', subject: 'VPN' };
    const english: Record<string, string> = { from: 'From', date: 'Sent', subject: 'Subject' };
    const replaced = field in block ? field : 'subject';
    const lines = Object.entries(block).map(([key, value]) => `${key === replaced ? name : english[key]}: ${value}`);
    const visible = extractVisibleText(mail(own, '', ...lines, '', 'Please restart.'));
    expect(visible.text).toBe(own);
    expect(visible.reason).toContain('Outlook header block');
  });

  it.each(fromEveryLanguage((language) => language.externalSenderBanners))('external-sender banner "%s" at the top', (words) => {
    const visible = extractVisibleText(mail(`[EXTERNAL] This email ${words}. Be careful with links.`, '', own));
    expect(visible.text).toBe(own);
    expect(visible.reason).toContain('external-sender banner');
    // The same words in somebody's own question stay.
    const asked = mail(`Mails now say they ${words}: is that right?`, '', own);
    expect(extractVisibleText(asked).text).toBe(asked);
  });

  it.each(fromEveryLanguage((language) => language.signOffs))('sign-off "%s" above a contact card', (word) => {
    const visible = extractVisibleText(mail(own, '', `${capitalised(word)},`, 'Erik Larsen', 'Finance, Northwind Ltd', '+46 8 123 45 67'));
    expect(visible.text).toBe(mail(own, '', `${capitalised(word)},`, 'Erik Larsen'));
    expect(visible.reason).toContain('contact card under the sign-off');
  });

  it.each(fromEveryLanguage((language) => [...(language.replyPrefixes ?? []), ...(language.forwardPrefixes ?? [])]))(
    'subject prefix "%s:" in every rule that reads subjects',
    (prefix) => {
      const subject = `${capitalised(prefix)}: VPN down`;
      expect(replySubject('TKT', 42, subject)).toBe('Re: [TKT-42] VPN down');
      expect(normaliseSubject(subject)).toBe('vpn down');
      expect(classifyMachineMail(message({ subject: `Automatic reply: ${subject}` }), northwind)?.kind).toBe('out-of-office');
    },
  );

  it.each(fromEveryLanguage((language) => language.forwardPrefixes))('forward prefix "%s:"', (prefix) => {
    expect(isForwardSubject(`${capitalised(prefix)}: VPN down`)).toBe(true);
  });
});

/** The modules that read the words, loaded afresh over a language list with `change` applied. */
async function withLanguages(change: (listed: Record<string, Language>) => Record<string, Language>) {
  vi.resetModules();
  vi.doMock('../../src/domain/languages/index.js', async (importOriginal) => change({ ...(await importOriginal<Record<string, Language>>()) }));
  return {
    visibleText: await import('../../src/mail/visible-text.js'),
    compose: await import('../../src/mail/compose.js'),
    similarity: await import('../../src/domain/similarity.js'),
    machineMail: await import('../../src/domain/machine-mail.js'),
    subjectPrefixes: await import('../../src/domain/subject-prefixes.js'),
  };
}

describe('a word or language added to the list', () => {
  afterEach(() => {
    vi.doUnmock('../../src/domain/languages/index.js');
    vi.resetModules();
  });

  it('a new mobile signature phrase in a language is recognised with no other edit', async () => {
    // Prepare
    const body = mail('The VPN drops every ten minutes.', '', 'Typed on my watch');
    expect(isMobileSignature('Typed on my watch')).toBe(false);
    const { visibleText } = await withLanguages((listed) => ({
      ...listed,
      en: { ...listed.en!, mobileSignatures: [...(listed.en!.mobileSignatures ?? []), /^typed on my (?:watch|ring)\b/i] },
    }));

    // Act
    const visible = visibleText.extractVisibleText(body);

    // Assess
    expect(visibleText.isMobileSignature('Typed on my watch')).toBe(true);
    expect(visible.text).toBe('The VPN drops every ten minutes.');
    expect(visible.signatureRemoved).toBe(true);
    expect(visible.reason).toBe("removed 'Typed on my watch'");
  });

  it('a new language reaches every rule that reads words', async () => {
    // Prepare: made-up words, so nothing else in the list recognises them.
    const xx: Language = {
      code: 'x-test',
      wrote: ['quilled'],
      originalMessage: ['earlier letter'],
      forwardSeparator: ['passed along'],
      headerFields: { from: ['whence'], date: ['posted'], subject: ['matter'] },
      mobileSignatures: [/^quilled on my slate\b/i],
      signOffs: ['fare thee well'],
      replyPrefixes: ['ans'],
      forwardPrefixes: ['pa'],
    };
    const own = 'The VPN drops every ten minutes.';
    expect(replySubject('TKT', 42, 'ANS: PA: VPN down')).toBe('Re: [TKT-42] ANS: PA: VPN down');
    const { visibleText, compose, similarity, machineMail, subjectPrefixes } = await withLanguages((listed) => ({ ...listed, xx }));
    const extract = (...lines: string[]) => visibleText.extractVisibleText(mail(own, '', ...lines));

    // Act and assess, one rule after another.
    expect(extract('On 5 Jan 2026 at 10:01, Sam <sam@example.com> quilled:', '> Still?').text).toBe(own);
    expect(extract('-----Earlier Letter-----', 'Please restart.').text).toBe(own);
    expect(extract('Whence: IT Support', 'Posted: Monday, 5 January 2026', 'Matter: VPN', '', 'Please restart.').reason).toContain('Outlook header block');
    expect(extract('Quilled on my slate').signatureRemoved).toBe(true);
    expect(extract('Fare thee well,', 'Erik Larsen', 'Finance, Northwind Ltd').reason).toContain('contact card under the sign-off');
    expect(visibleText.extractVisibleText(mail('FYI', '', '---------- Passed along ---------', 'Your licence expires.')).reason).toMatch(/^kept the forwarded/);
    expect(visibleText.extractVisibleText(mail('FYI', '', '-----Original Message-----', 'x'), { subject: 'PA: licence' }).reason).toMatch(/^kept the forwarded/);
    expect(compose.replySubject('TKT', 42, 'ANS: PA: VPN down')).toBe('Re: [TKT-42] VPN down');
    expect(similarity.normaliseSubject('Ans: VPN down')).toBe('vpn down');
    expect(machineMail.classifyMachineMail(message({ subject: 'Automatic reply: Ans: VPN down' }), northwind)?.kind).toBe('out-of-office');
    expect(subjectPrefixes.isForwardSubject('Pa: VPN down')).toBe(true);
  });
});
