import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { defaultTriageRules, escalate, triage, triageRulesSchema, type TriageInput } from '../../src/domain/triage.js';
import { blind2Labels, blind3Labels, blind4Labels, northwind, replyLabels, triageInputOf, triageLabels, triageOutcomes, tuningLabels } from '../eval/triage.js';

const rules = northwind.triage;

/** A plain mail for rule tests that need no MIME. */
function mail(text: string, overrides: Partial<TriageInput> = {}): TriageInput {
  return { subject: 'Help', text, sender: 'maria.garcia@northwind.example', sentAt: new Date('2026-11-24T08:00:00Z'), ...overrides };
}

describe('triage on the blind-written sets it was tuned on (fixtures/triage/tuning/, blind-2/, blind-3/, blind-4/)', () => {
  // Floors a point or two under what they reach (the README's figures): a rule that costs them more is a regression.
  it.each([
    ['tuning', tuningLabels, 0.95, 0.97],
    ['blind-2', blind2Labels, 0.98, 0.95],
    ['blind-3', blind3Labels, 0.83, 0.86],
    ['blind-4', blind4Labels, 0.83, 0.86],
  ] as const)('%s stays at its category and priority accuracy', async (_name, labels, category, priority) => {
    const outcomes = await triageOutcomes(northwind, labels);
    const rate = (right: (o: (typeof outcomes)[number]) => boolean) => outcomes.filter(right).length / outcomes.length;
    expect(rate((o) => o.result.category === o.label.category)).toBeGreaterThanOrEqual(category);
    expect(rate((o) => o.result.priority === o.label.priority)).toBeGreaterThanOrEqual(priority);
  });
});

describe('triage on the labelled fixtures (real parser, visible text, Northwind config)', () => {
  it.each(triageLabels.map((label) => [label.file, label] as const))('%s', async (_file, label) => {
    // Prepare
    const input = await triageInputOf(label.file);

    // Act
    const result = triage(input, rules);

    // Assess
    expect({ category: result.category, priority: result.priority }, label.note).toEqual({ category: label.category, priority: label.priority });
    // The category first, by name, in words a person reads: no scores.
    expect(result.reasons[0]).toMatch(new RegExp(`^${label.category[0]!.toUpperCase()}${label.category.slice(1)}, because `));
    expect(result.reasons.join('\n')).not.toMatch(/score|signal|\d+ or more|×/);
    const priorityReasons = result.reasons.filter((r) => /^P[1-4][ ,]/.test(r));
    expect(priorityReasons.length).toBeGreaterThan(0);
    if (label.priority === 'P3' && !result.reasons.some((r) => r.includes('VIP sender'))) {
      expect(priorityReasons).toContain('P3, the usual priority: nothing in it sounds urgent');
    } else {
      // Whatever moved the priority is named, with the words that fired or the sender.
      expect(priorityReasons.some((r) => r.startsWith(`${label.priority}, because it says "`) || (r.startsWith(`${label.priority} instead of `) && r.includes('VIP sender')))).toBe(true);
    }
  });

  it('explains the category with the words that matched, and the priority with the words that raised it', async () => {
    const result = triage(await triageInputOf('mail/01-outlook-new-vpn-down.eml'), rules);
    expect(result.reasons[0]).toMatch(/^Network, because it mentions "vpn", .*"gateway"/);
    expect(result.reasons).toContain('P2, because it says "as soon as possible" (the sender asks for it urgently)');
    expect(result.reasons).toContain('It also says "month-end close today" (deadline today)');
  });

  it('says a security incident decides both the category and P1', async () => {
    const result = triage(await triageInputOf('triage/01-outlook-ransomware-einkauf-share.eml'), rules);
    expect(result.reasons.slice(0, 2)).toEqual(['Security, because it says "ransomware" (security incident)', 'P1, because it says "ransomware" (security incident)']);
  });

  it('names the VIP sender when it raises the priority', async () => {
    const result = triage(await triageInputOf('triage/10-outlook-vip-cfo-dock-not-charging.eml'), rules);
    expect(result.reasons).toContain('P2 instead of P3: helena.vogel@northwind.example is a VIP sender');
  });
});

describe('priority rules', () => {
  it('defaults to P3 and says so', () => {
    expect(triage(mail('My monitor flickers every few minutes since yesterday.'), defaultTriageRules)).toMatchObject({
      priority: 'P3',
      reasons: expect.arrayContaining(['P3, the usual priority: nothing in it sounds urgent']),
    });
  });

  it('ignores urgency words in scare quotes and negated ones', () => {
    expect(triage(mail('This "urgent" request can wait.'), defaultTriageRules).priority).toBe('P3');
    expect(triage(mail('Nothing urgent, the Teams app just looks odd.'), defaultTriageRules).priority).toBe('P4');
    expect(triage(mail('It is not really urgent.'), defaultTriageRules).priority).toBe('P4');
  });

  it('lowers to P4 only when nothing raises it', () => {
    const result = triage(mail('No rush in general, but I need the report printed today.'), defaultTriageRules);
    expect(result.priority).toBe('P2');
    expect(result.reasons).toContain('Not P4, though it says "No rush" (the sender says it is not urgent): the more urgent words win');
  });

  it('reads a time of day as today unless another day is named', () => {
    expect(triage(mail('I have a client call at 10:30 and no headset.'), defaultTriageRules).priority).toBe('P2');
    expect(triage(mail('I have a client call tomorrow at 10:30 and no headset.'), defaultTriageRules).priority).toBe('P3');
    expect(triage(mail('The disconnects are at 08:11 and 08:19.'), defaultTriageRules).priority).toBe('P3');
  });

  it('counts the date the mail was sent as today', () => {
    const sentAt = new Date('2026-11-24T08:00:00Z');
    expect(triage(mail('The contract needs signing on 24 November.', { sentAt }), defaultTriageRules).priority).toBe('P2');
    expect(triage(mail('The contract needs signing on 25 November.', { sentAt }), defaultTriageRules).priority).toBe('P3');
  });

  it('treats multilingual urgency words like English ones', () => {
    expect(triage(mail('経費精算システムにログインできません。至急お願いします。'), defaultTriageRules)).toMatchObject({ category: 'access', priority: 'P2' });
    expect(triage(mail('Der Drucker druckt nicht, bitte dringend.'), defaultTriageRules)).toMatchObject({ category: 'printing', priority: 'P2' });
  });

  it('reads many people affected as an outage, said without the word, in several languages', () => {
    for (const text of [
      'The Wi-Fi stopped working and the whole team is affected.',
      "We've all moved to our phone hotspots, the office network is useless.",
      'Everyone on my floor has the same problem since 9.',
      'Alle Kollegen hier haben das gleiche Problem mit dem Netzwerk.',
      'Keiner von uns im Büro kommt ins Internet.',
      'Hela avdelningen sitter utan nät sedan i morse.',
      'Ingen av oss på kontoret kan logga in.',
      'Niemand op de afdeling kan inloggen op het netwerk.',
      "Personne au bureau ne peut se connecter au réseau depuis ce matin.",
    ]) {
      expect(triage(mail(text), defaultTriageRules).priority, text).toBe('P1');
    }
  });

  it('does not read one person\'s problem that mentions others as an outage', () => {
    for (const text of ['My colleague had the same issue last week and a restart fixed it.', 'Everyone says I should restart it, but the VPN still drops for me.']) {
      expect(triage(mail(text), defaultTriageRules).priority, text).not.toBe('P1');
    }
  });

  it('does not take a question about phishing training for an incident', () => {
    expect(triage(mail('Could you sign me up for the phishing awareness training?'), defaultTriageRules).priority).toBe('P3');
    expect(triage(mail('I think I clicked a link in a phishing mail.'), defaultTriageRules)).toMatchObject({ category: 'security', priority: 'P1' });
  });

  it('raises VIP senders by address or domain, never above P1', () => {
    const vipRules = triageRulesSchema.parse({ vip: { addresses: ['ceo@northwind.example'], domains: ['board.northwind.example'] } });
    expect(triage(mail('My monitor flickers.', { sender: 'CEO@northwind.example' }), vipRules).priority).toBe('P2');
    expect(triage(mail('My monitor flickers.', { sender: 'chair@eu.board.northwind.example' }), vipRules).priority).toBe('P2');
    expect(triage(mail('My monitor flickers.', { sender: 'someone@northwind.example' }), vipRules).priority).toBe('P3');
    expect(triage(mail('We have been hit by ransomware.', { sender: 'ceo@northwind.example' }), vipRules).priority).toBe('P1');
  });

  it('reads "not urgent" in the offices\' languages, and a later date the sender says is fine', () => {
    for (const text of [
      'Toner snart slut, ingen brådska.',
      'Det är lugnt, ni kan ta den efter jul.',
      'Kein Stress, ich nehme so lange mein privates Headset.',
      'Hat Zeit bis Januar.',
      'Geen haast hoor.',
      "Ce n'est pas pressé du tout.",
      "Rien d'urgent, mais je préfère vous prévenir.",
      'After the holidays is fine.',
      'Next month is fine.',
      "I don't need anything right now, just a heads-up.",
    ]) {
      expect(triage(mail(text), defaultTriageRules).priority, text).toBe('P4');
    }
    // A negated urgency word is no request, in any language.
    expect(triage(mail('Das ist nicht dringend.'), defaultTriageRules).priority).toBe('P4');
  });

  it('reads security incidents described without the word phishing', () => {
    for (const text of [
      "J'ai cliqué et j'ai mis mon adresse et mon mot de passe sur la page qui s'est ouverte.",
      'Daar kwam een inlogscherm via de QR-code, daar heb ik mijn wachtwoord ingevuld.',
      'Someone logged in from Brazil on my work account last night.',
      'I approved an MFA prompt that I did not start.',
      'I found an inbox rule I did not create that forwards invoices.',
      'He said he was from Microsoft support and then he was moving my mouse around.',
      'The supplier says they moved banks and we should pay to a new IBAN.',
      'I lost my work phone in a taxi last night.',
      'Ich habe mein Passwort aus Versehen in den Teams-Kanal eingefügt.',
    ]) {
      expect(triage(mail(text), defaultTriageRules), text).toMatchObject({ category: 'security', priority: 'P1' });
    }
  });

  it('does not take a sign-in problem or a forgotten laptop for an incident', () => {
    expect(triage(mail('I typed my password on the login page and it says wrong password.'), defaultTriageRules).category).toBe('access');
    expect(triage(mail('I left my laptop at home, can I borrow one?'), defaultTriageRules).category).toBe('hardware');
    expect(triage(mail('Maria lost her phone, please reset her MFA.'), defaultTriageRules).category).toBe('access');
  });

  it('lets a security signal decide the category at any priority: a fraud attempt seen through, data sent to the wrong people', () => {
    const giftCards = triage(mail('My "CEO" asked me to buy 8 gift cards and send him the codes; I did not.', { subject: 'Strange mail in my inbox' }), defaultTriageRules);
    expect(giftCards).toMatchObject({ category: 'security', priority: 'P3' });
    expect(giftCards.reasons[0]).toBe('Security, because it says "to buy 8 gift cards" (a fraud attempt to check)');
    expect(triage(mail('I sent the pricing workbook to the wrong customer.'), defaultTriageRules)).toMatchObject({ category: 'security', priority: 'P2' });
  });

  it('reads many people affected from who is affected, not from who is mentioned', () => {
    for (const text of ['The whole sales floor is tethering to their phones.', 'At least 8 of us are stuck.', 'Same for the people next to me.', 'Die ganze Frühschicht steht.', 'Plus personne ne peut imprimer ici.', 'Ons hele team is de mailbox kwijt, hij is verdwenen.', 'Niemand kan meer inloggen.', 'Ingen kan logga in.']) {
      expect(triage(mail(text), defaultTriageRules).priority, text).toBe('P1');
    }
    for (const text of ['My team is waiting for the new laptops.', 'I need to send this to 40 people and Outlook cannot attach it.', 'Others have the same laptop and it works.', 'Die Kollegen haben auch ein neues Headset bekommen.', 'Une personne de mon équipe ne peut pas se connecter.', 'Ingen brådska, men jag kan inte skriva ut.']) {
      expect(triage(mail(text), defaultTriageRules).priority, text).not.toBe('P1');
    }
  });

  it('does not read "today" that tells what happened, or a visit, as a deadline', () => {
    expect(triage(mail('The call dropped, which happened twice in my meeting today.'), defaultTriageRules).priority).toBe('P3');
    expect(triage(mail('Could someone come by today or tomorrow?'), defaultTriageRules).priority).toBe('P3');
    expect(triage(mail('Die Datei muss heute bis 14 Uhr an die Bank.'), defaultTriageRules).priority).toBe('P2');
  });

  it('files business applications as software, a broken camera as hardware, a shared mailbox as email', () => {
    expect(triage(mail('Visma startar inte, licensservern svarar inte.', { subject: 'Visma' }), defaultTriageRules).category).toBe('software');
    expect(triage(mail('The camera on my laptop does not work in Teams.', { subject: 'Camera not working in Teams' }), defaultTriageRules).category).toBe('hardware');
    expect(triage(mail('Teams does not find my camera; it works in the Camera app, so the hardware is fine.', { subject: 'Teams not working' }), defaultTriageRules).category).toBe('software');
    expect(triage(mail('Vi har inte fått några mejl i den gemensamma brevlådan.', { subject: 'Kundtjänst' }), defaultTriageRules).category).toBe('email');
    expect(triage(mail('Votre compte est désactivé.', { subject: 'Portail' }), defaultTriageRules).category).toBe('access');
  });

  it('reads many people affected from a counted group, a team it fails for, or every device of a kind', () => {
    for (const text of [
      'Betroffen sind wir sechs in der Kreditorenbuchhaltung.',
      'Vi är sex personer som jobbar i den brevlådan och just nu sitter vi mest och väntar.',
      'Now most scanners are empty, we are 16 people and only few scanners are working.',
      'Al equipo comercial (somos 12) el CRM nos da error al guardar.',
      'We hebben 14 orderpickers die nu met papieren lijsten lopen.',
      'The wifi keeps dropping every few minutes for the marketing team.',
      'None of the Zebra label printers on the packing line has printed a label since 13:15.',
      'None of us in the London sales team are getting meeting invitations from outside.',
      "Aucun d'entre nous à Lyon n'arrive à se connecter à Concur.",
      "C'est pareil pour les 11 personnes du bureau.",
      'Bei den Kollegen geht es auch nicht.',
    ]) {
      expect(triage(mail(text), defaultTriageRules).priority, text).toBe('P1');
    }
    for (const text of [
      'Teams startet nicht, aber bei den Kollegen läuft es auch.',
      "I can't print the slides for the sales team meeting.",
      'We once had the same problem and it could not be fixed.',
      'We are 3 days late with the invoices and Excel crashes.',
    ]) {
      expect(triage(mail(text), defaultTriageRules).priority, text).not.toBe('P1');
    }
  });

  it('reads a device that will not switch on, and a time of day, in the offices\' languages', () => {
    expect(triage(mail('Mein Laptop geht heute früh gar nicht mehr an und ich kann so überhaupt nicht arbeiten.'), defaultTriageRules).priority).toBe('P2');
    expect(triage(mail('Jag har en kundpresentation kl 11 och den ligger på datorn.'), defaultTriageRules).priority).toBe('P2');
    // A fallback the sender already has, or another day, is no deadline.
    expect(triage(mail('Ich habe um 10 einen Call mit einem Kunden, den kann ich zur Not auch vom Handy machen.'), defaultTriageRules).priority).toBe('P3');
    expect(triage(mail('Ich habe morgen um 10 einen Call.'), defaultTriageRules).priority).toBe('P3');
  });

  it('reads a go-live today or tomorrow as P2, and a start date weeks away as P4', () => {
    const sentAt = new Date('2026-12-17T14:00:00Z');
    expect(triage(mail('Tomorrow at 06:00 we go live with the new WMS.', { sentAt }), defaultTriageRules)).toMatchObject({
      priority: 'P2',
      reasons: expect.arrayContaining(['P2, because it says "at 06:00 we go live" (a go-live due today or tomorrow)']),
    });
    expect(triage(mail('El 11 de enero se incorpora Ana Ruiz, necesita portátil y acceso a SAP.', { sentAt }), defaultTriageRules).priority).toBe('P4');
    expect(triage(mail('The new colleague starts on 20 January.', { sentAt }), defaultTriageRules).priority).toBe('P4');
    // Too soon, or not a start or a deadline.
    expect(triage(mail('The new colleague starts on 21 December.', { sentAt }), defaultTriageRules).priority).toBe('P3');
    expect(triage(mail('The access can end on 31 January.', { sentAt }), defaultTriageRules).priority).toBe('P3');
  });

  it('reads "not urgent" and "when you have time" in Danish and Spanish, and a date with an adverb', () => {
    for (const text of ['Det haster ikke, bare når du har tid.', 'No es urgente, de momento imprimo en la de la 2ª.', '¿Me la podéis añadir cuando podáis?', 'In the new year is absolutely fine.']) {
      expect(triage(mail(text), defaultTriageRules).priority, text).toBe('P4');
    }
  });

  it('reads a caller posing as IT, mail the sender never wrote and a new bank in their mail as incidents, in several languages', () => {
    for (const text of [
      'Gerade hat mich ein Herr Kramer angerufen, angeblich von euch aus der IT.',
      'Plusieurs collègues ont reçu de ma part un mail « Facture en attente » que je n’ai jamais écrit.',
      'Le lien m’a amenée sur une page Microsoft qui m’a redemandé mon mot de passe, je les ai saisis.',
      'We got an email from them saying they moved to a new bank, with a letter attached with a new IBAN.',
    ]) {
      expect(triage(mail(text), defaultTriageRules), text).toMatchObject({ category: 'security', priority: 'P1' });
    }
    expect(triage(mail('He enviado por error el Excel con las nóminas a un cliente.'), defaultTriageRules)).toMatchObject({ category: 'security', priority: 'P2' });
    // A print job sent by mistake, or a disclaimer, exposes nothing.
    expect(triage(mail('I sent my print job to the wrong printer by mistake.'), defaultTriageRules).category).toBe('printing');
    expect(triage(mail('If this email was sent to you by mistake, please delete it.'), defaultTriageRules).category).not.toBe('security');
  });

  it('takes a sign-in alert the sender says was their own for a security check, not an incident', () => {
    const own = triage(mail('I got an "Unusual sign-in activity" mail from Madrid. I was in Madrid, so I assume that was me.', { subject: 'Unusual sign-in activity email' }), defaultTriageRules);
    expect(own).toMatchObject({ category: 'security', priority: 'P3' });
    expect(own.reasons[0]).toBe('Security, because it says "Unusual sign-in activity" (a sign-in alert the sender explains)');
    expect(triage(mail('I got an unusual sign-in alert from Lagos.'), defaultTriageRules)).toMatchObject({ category: 'security', priority: 'P1' });
  });

  it('files training, move and planning requests and door badges as other, unless something is broken', () => {
    for (const [text, subject] of [
      ['Zouden jullie een keer een korte sessie van een half uur willen geven?', 'Idee: korte Teams-training'],
      ['Jag flyttar från rum 3.08 till 4.15 på fredag. Behöver IT göra något med min skärm och docka?', 'Flytt'],
      ['I would like someone from IT to join the finance meeting and walk us through the licence costs.', 'IT costs 2027'],
      ['My badge has stopped opening the archive room door.', 'Badge'],
    ] as const) {
      expect(triage(mail(text, { subject }), defaultTriageRules).category, text).toBe('other');
    }
    expect(triage(mail('Since I moved to the 3rd floor my screen stays black.'), defaultTriageRules).category).toBe('hardware');
    expect(triage(mail('Could you give me a short training on the VPN? It does not work for me.'), defaultTriageRules).category).toBe('network');
  });

  it('files words of the offices\' languages: a locked-out Swede, a Spanish printer, a Danish battery, an exception, a doubted mail', () => {
    expect(triage(mail('Nu säger Windows att kontot är spärrat.', { subject: 'Utelåst från datorn' }), defaultTriageRules).category).toBe('access');
    expect(triage(mail('No tengo la impresora de aquí en mi portátil.', { subject: 'Añadir impresora' }), defaultTriageRules).category).toBe('printing');
    expect(triage(mail('Batteriet på min telefon er ved at give op.', { subject: 'Ny telefon?' }), defaultTriageRules).category).toBe('hardware');
    expect(triage(mail('System.NullReferenceException bij het exporteren. Ik heb de pc opnieuw gestart.', { subject: 'Export' }), defaultTriageRules).category).toBe('software');
    expect(triage(mail('Ik ken het adres niet.', { subject: 'Is deze mail over het pensioen echt?' }), defaultTriageRules).category).toBe('security');
    expect(triage(mail('AADSTS50105: access to the application is blocked.', { subject: 'Connexion Concur' }), defaultTriageRules).category).toBe('access');
  });

  it('falls back to "other" when no category scores enough', () => {
    const result = triage(mail('Please call me back.', { subject: 'Call me' }), defaultTriageRules);
    expect(result.category).toBe('other');
    expect(result.reasons[0]).toBe('Other, because no category matched');
  });
});

describe('escalate', () => {
  it.each(replyLabels.map((label) => [label.file, label] as const))('%s', async (_file, label) => {
    const raised = escalate(label.current, await triageInputOf(label.file), rules);
    expect(raised?.priority ?? label.current, label.note).toBe(label.priority);
  });

  it('raises on "now the whole floor is down" and says why', async () => {
    const raised = escalate('P3', await triageInputOf('triage/r02-outlook-ios-reply-whole-floor-down.eml'), rules);
    expect(raised).toEqual({ priority: 'P1', reason: 'Raised from P3 to P1: a reply says "whole floor is down" (outage affecting many people)' });
  });

  it('never lowers: "never mind" and "no rush" leave every priority as it is', async () => {
    const input = await triageInputOf('triage/r03-iphone-reply-never-mind.eml');
    for (const current of ['P1', 'P2', 'P3', 'P4'] as const) expect(escalate(current, input, rules)).toBeNull();
  });

  it('does not move a P4 ticket to the default on a reply without signals', () => {
    expect(escalate('P4', mail('Thanks, here is the screenshot you asked for.'), defaultTriageRules)).toBeNull();
  });

  it('returns null when the reply asks for no more than the ticket has', () => {
    expect(escalate('P1', mail('Now the whole floor is down.'), defaultTriageRules)).toBeNull();
    expect(escalate('P2', mail('This is urgent, please.'), defaultTriageRules)).toBeNull();
  });

  it("reads the reply's text, not the subject it repeats", () => {
    const input = mail('Any news?', { subject: 'RE: [TKT-4] URGENT: printer jam' });
    expect(escalate('P3', input, defaultTriageRules)).toBeNull();
  });
});

describe('triage on the borders between categories (the words of fixtures/triage/blind-3/)', () => {
  const of = (subject: string, text: string) => triage(mail(text, { subject }), rules);

  it('takes sign-in requests and attempts the sender did not start for security, not access', () => {
    expect(of('Konstiga notiser', 'I natt fick jag konstiga notiser från Authenticator om att godkänna en inloggning.')).toMatchObject({ category: 'security', priority: 'P1' });
    expect(of('Konto gesperrt', 'Ich sehe Dutzende fehlgeschlagene Anmeldungen von IP-Adressen, die ich nicht kenne.')).toMatchObject({ category: 'security', priority: 'P2' });
  });

  it('takes an authorisation missing in an application for access, and a swollen battery for P2', () => {
    expect(of('SAP: no tengo autorización para crear pedidos', 'Me sale: «No tiene autorización para la transacción ME21N».')).toMatchObject({ category: 'access', priority: 'P3' });
    expect(of('Laptop battery', 'The battery of my laptop is swollen, the case is bulging.')).toMatchObject({ category: 'hardware', priority: 'P2' });
  });

  it('hears a counted group none of whom can work, "non è urgente" and a print-release badge', () => {
    expect(of('Versand', 'Keiner der zehn Kollegen der Frühschicht kann Lieferscheine erzeugen.').priority).toBe('P1');
    expect(of('Mails verspätet', 'Wir sind sieben Leute im Team und bei allen ist es gleich.').priority).toBe('P1');
    expect(of('Portabilità numero', 'Non è urgente, volevo solo saperlo per tempo.').priority).toBe('P4');
    expect(of("Badge refusé à l'imprimante", "Quand je pose mon badge sur le lecteur de l'imprimante pour libérer mes impressions, l'écran affiche « Utilisateur inconnu »." ).category).toBe('printing');
  });
});

describe('triage of an ordinary week (the words of fixtures/triage/blind-4/)', () => {
  const of = (subject: string, text: string) => triage(mail(text, { subject }), rules);

  it('takes a request for access to an application for access, and an open link shared by mistake for security', () => {
    expect(of('Dostęp do Power BI', 'Proszę o dostęp do obszaru roboczego Power BI "Logistyka KPI".').category).toBe('access');
    expect(of('Lien OneDrive partagé par erreur avec un client', 'Le lien était en mode « Toute personne disposant du lien ».')).toMatchObject({ category: 'security', priority: 'P2' });
  });

  it('takes a tech-support scam page for security, and "non parte" for blocked work', () => {
    expect(of('Scary pop-up on my laptop', 'A red "Windows Defender Security Warning - your computer has been blocked, call Microsoft Support" page.').category).toBe('security');
    expect(of('AutoCAD non parte', 'Da stamattina AutoCAD non parte più.').priority).toBe('P2');
  });
});

describe('triage rules schema', () => {
  const problems = (input: unknown) => triageRulesSchema.safeParse(input).error?.issues.map((i) => i.message) ?? [];

  it('parses {} to the built-in defaults', () => {
    expect(triageRulesSchema.parse({})).toEqual(defaultTriageRules);
    expect(parseConfig({}).triage).toEqual(defaultTriageRules);
  });

  it('finds the built-in defaults, written out rather than parsed at import, valid rules', () => {
    expect(triageRulesSchema.safeParse(defaultTriageRules).error?.issues ?? []).toEqual([]);
    expect(triageRulesSchema.parse(defaultTriageRules)).toEqual(defaultTriageRules);
  });

  it('keeps the other defaults when a user file overrides one part', () => {
    const parsed = triageRulesSchema.parse({ vip: { addresses: ['CFO@Northwind.example'] } });
    expect(parsed.vip).toEqual({ addresses: ['cfo@northwind.example'], domains: [], raiseBy: 1 });
    expect(parsed.categories).toEqual(defaultTriageRules.categories);
    expect(parsed.signals).toEqual(defaultTriageRules.signals);
    expect(parsed.defaultPriority).toBe('P3');
  });

  it('rejects a pattern that is not a regular expression, naming the rule', () => {
    const bad = { signals: [{ id: 'board-meeting', priority: 'P2', label: 'board meeting', patterns: ['board (meeting'] }] };
    expect(() => parseConfig({ triage: bad })).toThrow(ConfigError);
    expect(() => parseConfig({ triage: bad })).toThrow(
      /triage\.signals\.0\.patterns\.0: signal "board-meeting": pattern "board \(meeting" is not a valid regular expression/,
    );
    const badKeyword = { categories: [{ name: 'facilities', keywords: { 'desk[': 2 } }] };
    expect(problems(badKeyword)).toEqual([expect.stringMatching(/^category "facilities": pattern "desk\[" is not a valid regular expression/)]);
  });

  it('rejects unknown keys, so a typo does not silently do nothing', () => {
    expect(() => parseConfig({ triage: { vips: { addresses: [] } } })).toThrow(/unknown key "vips" in triage/);
    expect(() => triageRulesSchema.parse({ vip: { adresses: ['a@b.example'] } })).toThrow();
  });

  it('rejects a priority that does not exist and a category listed twice', () => {
    expect(() => triageRulesSchema.parse({ defaultPriority: 'P5' })).toThrow();
    expect(problems({ categories: [{ name: 'x', keywords: {} }, { name: 'x', keywords: {} }] })).toEqual(['category "x" is listed twice']);
  });
});
