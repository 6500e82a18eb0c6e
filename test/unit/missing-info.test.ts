import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { asksFor, defaultMissingInfoRules, missingDetails, missingInfoRulesSchema, stillMissing } from '../../src/domain/missing-info.js';
import { northwind, replyLabels, triageInputOf, triageLabels } from '../eval/triage.js';

const rules = northwind.missingInfo;

describe('missing details on the labelled fixtures', () => {
  it.each(triageLabels.map((label) => [label.file, label] as const))('%s', async (_file, label) => {
    // Prepare
    const { subject, text } = await triageInputOf(label.file);

    // Act
    const missing = missingDetails(label.category, [subject, text], rules);

    // Assess
    expect(missing.map((d) => d.id), label.note).toEqual(label.missing);
  });
});

describe('stillMissing on the labelled replies', () => {
  it.each(replyLabels.map((label) => [label.file, label] as const))('%s', async (_file, label) => {
    const { text } = await triageInputOf(label.file);
    expect(stillMissing(label.missingBefore, text, label.category, rules).map((d) => d.id), label.note).toEqual(label.stillMissing);
  });

  it('the original mails of the replies miss what the labels say', async () => {
    for (const label of replyLabels) {
      const { subject, text } = await triageInputOf(label.original);
      expect(missingDetails(label.category, [subject, text], rules).map((d) => d.id), label.original).toEqual(label.missingBefore);
    }
  });
});

describe('missingDetails', () => {
  it('with no texts returns every detail of the category, the category’s own first', () => {
    expect(missingDetails('network', [], rules).map((d) => d.id)).toEqual(['location', 'connection', 'description']);
    expect(missingDetails('access', [], rules).map((d) => d.id)).toEqual(['system', 'account', 'description']);
    expect(missingDetails('no-such-category', [], rules).map((d) => d.id)).toEqual(['description']);
  });

  it('asks a VPN user neither where they are nor how they are connected', () => {
    const texts = ['VPN not connecting', 'GlobalProtect stops at "Connecting..." since this morning, I restarted twice.'];
    expect(missingDetails('network', texts, rules)).toEqual([]);
  });

  it('asks for the error only when something fails, and not for a licence request', () => {
    expect(missingDetails('software', ['Excel crashes', 'Excel crashes every time I open the budget workbook.'], rules).map((d) => d.id)).toEqual(['error']);
    expect(missingDetails('software', ['Visio', 'Could you assign me a Visio licence? I cannot edit diagrams in the browser.'], rules)).toEqual([]);
  });

  it('asks for a description when there are only a few words', () => {
    expect(missingDetails('other', ['Call me', 'Call me please'], rules).map((d) => d.id)).toEqual(['description']);
    expect(missingDetails('access', ['Password', 'Please reset my password by Friday.'], rules)).toEqual([]);
  });

  it('does not ask someone who needs access for themselves whose account it is', () => {
    expect(missingDetails('access', ['HR folder', 'I need access to the HR folder on the Finance share.'], rules)).toEqual([]);
  });
});

describe('missingDetails in the offices\' languages', () => {
  it('sees whose account it is in "mon accès", "jag loggar in" and a whole team', () => {
    for (const text of ['Pouvez-vous rétablir mon accès au site SharePoint ?', 'När jag loggar in på datorn händer inget.', 'None of us in Finance can open the share.']) {
      expect(missingDetails('access', [text], defaultMissingInfoRules).map((d) => d.id), text).not.toContain('account');
    }
  });

  it('sees a business application or a name with its version as the application', () => {
    for (const text of ['Visma startar inte.', 'LohnPro 24.3 bricht beim Abrechnungslauf ab.', 'The Business Central app closes by itself.']) {
      expect(missingDetails('software', [text], defaultMissingInfoRules).map((d) => d.id), text).not.toContain('application');
    }
    expect(missingDetails('software', ['It crashes at 10.30 every day.'], defaultMissingInfoRules).map((d) => d.id)).toContain('application');
  });

  it('sees the sender\'s own access in "could I get", "ich bräuchte", "j\'ai besoin"', () => {
    for (const text of ['Could I get read access to the Marketing SharePoint site?', 'Ich bräuchte Lese- und Schreibrechte auf den Ordner \\\\nw-fs01\\Controlling.', "J'ai besoin d'un accès au dossier Achats."]) {
      expect(missingDetails('access', [text], defaultMissingInfoRules).map((d) => d.id), text).not.toContain('account');
    }
  });

  it('sees a pasted message, an HTTP status or an exception as the error, and asks a program that closes or throws people out for one', () => {
    for (const text of [
      'Al guardar el CRM nos da error:\n\n   HTTP 503 Service Unavailable – The server is temporarily unable to service your request.',
      'Der Export bricht ab mit System.NullReferenceException.',
      'Opslaan mislukt met HTTP 500.',
    ]) {
      expect(missingDetails('software', [`SAP: ${text}`], defaultMissingInfoRules).map((d) => d.id), text).not.toContain('error');
    }
    for (const text of ['Excel shows the green loading bar and then just closes.', 'Seit heute Morgen fliegen wir alle paar Minuten aus SAP raus.']) {
      expect(missingDetails('software', [text], defaultMissingInfoRules).map((d) => d.id), text).toContain('error');
    }
  });

  it('sees a floor written the German way, and asks a Dutch crash for its error', () => {
    expect(missingDetails('network', ['Das WLAN in den Besprechungsräumen im 4. OG bricht ab, am Platz mit Kabel geht es.'], defaultMissingInfoRules).map((d) => d.id)).toEqual([]);
    expect(missingDetails('software', ['Teams crasht elke keer als ik mijn scherm deel.'], defaultMissingInfoRules).map((d) => d.id)).toContain('error');
  });
});

describe('stillMissing', () => {
  it('keeps rule order and drops what the reply gives', () => {
    const still = stillMissing(['connection', 'location'], 'I am at the Hamburg office, 2nd floor.', 'network', rules);
    expect(still.map((d) => d.id)).toEqual(['connection']);
  });

  it('still knows a detail the category no longer lists, and drops ids nobody defines', () => {
    expect(stillMissing(['asset', 'retired-id'], 'no idea, sorry', 'network', rules).map((d) => d.id)).toEqual(['asset']);
  });
});

describe('asksFor', () => {
  const ask = (id: string) => rules.details.find((d) => d.id === id)!.ask;

  it('words the open questions of a ticket in the order we ask, whatever order the ids come in', () => {
    expect(asksFor(['description', 'connection', 'location'], 'network', rules)).toEqual([ask('location'), ask('connection'), ask('description')]);
  });

  it('asks nothing when nothing is missing', () => {
    expect(asksFor([], 'network', rules)).toEqual([]);
  });

  it('does not ask again for a detail the category no longer needs (staff changed the category)', () => {
    expect(asksFor(['asset', 'description'], 'network', rules)).toEqual([ask('description')]);
    expect(asksFor(['retired-id'], 'hardware', rules)).toEqual([]);
  });
});

describe('asks', () => {
  const details = defaultMissingInfoRules.details;

  it('are plain, friendly sentence fragments that follow "Could you tell us:"', () => {
    for (const { id, ask } of details) {
      expect(ask, id).toMatch(/^[a-z]/); // continues the sentence
      expect(ask, id).not.toMatch(/[.!?]$/);
      expect(ask.length, id).toBeGreaterThan(20);
      expect(ask.length, id).toBeLessThan(140);
      expect(ask, id).not.toMatch(/\b(required|mandatory|must|invalid|field|regex|id)\b/i);
      expect(ask, id).not.toMatch(/[A-Z]{4,}/); // no shouting (a tag like NW-LT-0217 is fine)
    }
  });

  it('are different for every detail', () => {
    expect(new Set(details.map((d) => d.ask)).size).toBe(details.length);
  });

  it('give an example where one helps', () => {
    const ask = (id: string) => details.find((d) => d.id === id)?.ask ?? '';
    expect(ask('asset')).toContain('NW-LT-0217');
    expect(ask('location')).toMatch(/for example/);
  });
});

describe('missing-info rules schema', () => {
  const problems = (input: unknown) => missingInfoRulesSchema.safeParse(input).error?.issues.map((i) => i.message) ?? [];

  it('parses {} to the built-in defaults', () => {
    expect(missingInfoRulesSchema.parse({})).toEqual(defaultMissingInfoRules);
    expect(parseConfig({}).missingInfo).toEqual(defaultMissingInfoRules);
  });

  it('finds the built-in defaults, written out rather than parsed at import, valid rules', () => {
    expect(missingInfoRulesSchema.safeParse(defaultMissingInfoRules).error?.issues ?? []).toEqual([]);
    expect(missingInfoRulesSchema.parse(defaultMissingInfoRules)).toEqual(defaultMissingInfoRules);
  });

  it('keeps the detail definitions when a user file changes only which details a category needs', () => {
    const parsed = missingInfoRulesSchema.parse({ categories: { hardware: ['asset', 'location'] } });
    expect(parsed.details).toEqual(defaultMissingInfoRules.details);
    expect(parsed.everyCategory).toEqual(['description']);
    expect(missingDetails('hardware', [], parsed).map((d) => d.id)).toEqual(['asset', 'location', 'description']);
  });

  it('rejects a detector that is not a regular expression, naming the detail', () => {
    const details = [{ id: 'room', ask: 'which meeting room it is', present: ['room (\\w+'] }];
    expect(() => parseConfig({ missingInfo: { details, categories: {}, everyCategory: [] } })).toThrow(ConfigError);
    expect(() => parseConfig({ missingInfo: { details, categories: {}, everyCategory: [] } })).toThrow(
      /missingInfo\.details\.0\.present\.0: detail "room": pattern "room \(\\w\+" is not a valid regular expression/,
    );
  });

  it('rejects a category that needs a detail nobody defined', () => {
    expect(problems({ categories: { hardware: ['assets'] } })).toEqual(['category "hardware" needs detail "assets", which is not defined']);
  });

  it('rejects unknown keys and a detail that can never be given', () => {
    expect(() => parseConfig({ missingInfo: { everycategory: [] } })).toThrow(/unknown key "everycategory" in missingInfo/);
    expect(problems({ details: [{ id: 'x', ask: 'something we need from you' }], categories: {}, everyCategory: [] })).toEqual([
      'detail "x": needs "present" patterns or "minWords", or it can never be given',
    ]);
  });
});
