/**
 * Incident detection (src/domain/incidents/): what a report says, when two reports are of one
 * outage, and when reports become an incident, with the reason in words.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { decideIncident, evidence, type ReportedTicket } from '../../src/domain/incidents/grouping.js';
import { incidentReasonText } from '../../src/domain/incidents/reason.js';
import { readReport } from '../../src/domain/incidents/report.js';
import { NORTHWIND_SITES } from '../eval/incidents.js';

const rules = parseConfig({ incidents: { sites: ['Hamburg', 'Malmö', 'London'] } }).incidents;
const report = (subject: string, text = '') => readReport(subject, text, rules);
/** The hand-written mornings' company: its seven sites. */
const northwind = parseConfig({ incidents: { sites: NORTHWIND_SITES } }).incidents;
const nw = (subject: string, text = '') => readReport(subject, text, northwind);

let n = 40;
function reported(requester: string, minute: number, subject: string, text = '', incidentId: string | null = null): ReportedTicket {
  return { ticketId: `TKT-${++n}`, requester, at: new Date(Date.parse('2026-12-07T08:00:00Z') + minute * 60_000).toISOString(), category: 'network', report: report(subject, text)!, incidentId };
}

describe('what a report says', () => {
  it('reads the service, the place and the words saying it is down, in English, German and Swedish', () => {
    expect(report('wifi down again??')).toMatchObject({ service: 'network', symptom: 'down', site: null, floor: null });
    expect(report('WLAN geht nicht', 'Im 3. OG haben wir kein Internet.')).toMatchObject({ service: 'network', floor: 3, symptom: 'geht nicht' });
    expect(report('Nätet', 'Nätet ligger nere på kontoret i Malmö, alla sitter på mobilen.')).toMatchObject({ service: 'network', site: 'malmö', symptom: 'ligger nere' });
    expect(report('No internet up here', "We're all tethering to our phones on the third floor in Hamburg.")).toMatchObject({ service: 'network', site: 'hamburg', floor: 3 });
    expect(report('Outlook säger frånkopplad')).toMatchObject({ service: 'email', symptom: 'frånkopplad' });
    expect(report('SAP nicht erreichbar', 'Fehler 0x800ccc0e beim Anmelden')).toMatchObject({ service: 'erp', identifiers: ['0x800ccc0e'] });
  });

  it('names no service in "not working" alone, and takes "my phone is fine" as one person\'s problem', () => {
    expect(report('Not working', 'Nothing works, please help.')).toBeNull();
    expect(report("Laptop won't connect", "My laptop can't connect to the Wi-Fi, my phone is fine.")).toMatchObject({ service: 'network', symptom: null });
    expect(report('WLAN', 'Das WLAN geht nicht, aber nur bei mir.')).toMatchObject({ symptom: null });
  });
});

describe('what a report says, in the words of fixtures/incidents-tuning/', () => {
  it('hears an outage said without the usual words', () => {
    expect(report('Not receiving any emails', "I haven't received a single email since 8.")).toMatchObject({ service: 'email', symptom: 'Not receiving any emails' });
    expect(report('Outlook Passwort', 'Outlook fragt ständig nach meinem Passwort.')).toMatchObject({ service: 'email', symptom: 'fragt ständig nach meinem Passwort' });
    expect(report('Inga mejl kommer in')).toMatchObject({ service: 'email', symptom: 'Inga mejl' });
    expect(report('Drucken', 'Kann nix ausdrucken, 2. Etage. Alle hier nicht.')).toMatchObject({ service: 'printing', floor: 2, symptom: 'Kann nix ausdrucken' });
    expect(report('Phones?', 'Customers say they cant get through on the main number, it just rings out.')).toMatchObject({ service: 'phones', symptom: 'cant get through' });
    expect(report('Hotspot', 'Vi är sex stycken här uppe som sitter på mobilens hotspot sedan en halvtimme.')).toMatchObject({ service: 'network', symptom: 'sitter på mobilens hotspot' });
  });

  it('reads floors said as levels and as Swedish floor nouns', () => {
    expect(report("Can't print - level 2", 'Printing from my laptop spools forever and then says "Error - Printing".')).toMatchObject({ service: 'printing', floor: 2, symptom: "Can't print" });
    expect(report('Inget nät', 'Inget nät på fyran??')).toMatchObject({ service: 'network', floor: 4, symptom: 'Inget nät' });
  });

  it('takes "from home, nothing inside reachable" as the way in (VPN), and the writer\'s own broadband as theirs', () => {
    expect(report("can't connect from home", 'Cant connect to the work network from home, keeps saying "Unable to establish a secure connection".')?.service).toBe('vpn');
    expect(report('Home internet down', 'My broadband at home is down, the router is flashing orange.')?.symptom).toBeNull();
  });

  it('does not take "slowing me down" for an outage', () => {
    expect(report('Excel attachments open in Protected View', 'I have to click Enable Editing each time. It is really slowing me down.')?.symptom ?? null).toBeNull();
  });
});

describe('what a report says, in the words of fixtures/incidents-tuning-2/ (Dutch, French, more services)', () => {

  it('hears calls that drop, doors that stay shut, a drive that is gone and a sign-in that loops', () => {
    expect(nw('teams valt steeds weg')).toMatchObject({ service: 'teams', symptom: 'valt steeds weg' });
    expect(nw('Appels Teams qui coupent sans arrêt')).toMatchObject({ service: 'teams', symptom: 'qui coupent' });
    expect(nw('Pas werkt niet', 'mijn pas wordt niet geaccepteerd, lampje blijft rood')).toMatchObject({ service: 'door-access', symptom: 'werkt niet' });
    expect(nw('S: ist weg', 'bei mir ist das Laufwerk S: weg.')).toMatchObject({ service: 'files', symptom: 'ist weg' });
    expect(nw('Okta loop', 'Ik zit vast in een loop bij het inloggen.')).toMatchObject({ service: 'sign-in', symptom: 'Okta loop' });
    expect(nw('scanners', 'Scanners piepen alleen nog maar en boeken niks.')).toMatchObject({ service: 'scanners', symptom: 'boeken niks' });
    expect(nw('Câble réseau ne marche plus', 'Au 2ème le réseau par câble ne marche plus, en wifi ça passe.')).toMatchObject({ service: 'network', floor: 2, symptom: 'ne marche plus' });
  });

  it('reads French and Dutch floors', () => {
    expect(nw('Plus de réseau au 2e étage')?.floor).toBe(2);
    expect(nw('Pasje doet het niet', 'Mijn pasje opent de deur op de tweede verdieping niet meer.')?.floor).toBe(2);
  });

  it("takes one person's own badge, account, quota, battery, socket, rights and a days-old problem as theirs", () => {
    expect(nw('Nieuwe toegangspas', 'Mijn toegangspas is mee de wasmachine in gegaan, kan er een nieuwe pas klaarliggen?')?.symptom ?? null).toBeNull();
    expect(nw('Kontot låst', 'Ditt konto är låst. Kan ni låsa upp kontot? Inloggningen fungerar inte.')?.symptom ?? null).toBeNull();
    expect(nw('Kan inte spara på G:', 'Kollegorna runt mig kan spara som vanligt, så det är min kvot.')?.symptom ?? null).toBeNull();
    expect(nw('Accu scanner 12', 'Scanner 12 laadt niet meer op en gaat niet meer aan, werkt niet.')?.symptom ?? null).toBeNull();
    expect(nw('Prise réseau bureau 412', 'La prise réseau de mon bureau ne fonctionne plus.')?.symptom ?? null).toBeNull();
    expect(nw('Schreibrechte für S:', 'Ich bräuchte Schreibrechte auf S:\\Marketing, es geht nicht.')?.symptom ?? null).toBeNull();
    expect(nw('Camera black in Teams', 'Since yesterday afternoon my laptop camera is not working in Teams.')?.symptom ?? null).toBeNull();
    // "Laden" is also "load": a page that does not load is not a battery.
    expect(nw('Homeoffice', 'Das VPN geht nicht von zu Hause, das Intranet lädt nicht.')?.symptom).not.toBeNull();
  });

  it('does not take "shut down last night" for an outage, nor count a mail app\'s footer as email', () => {
    expect(nw('Laptop camera', 'There was an update waiting when I shut down last night. Teams shows a black picture.')?.symptom ?? null).toBeNull();
    expect(nw('SAP hänger', 'SAP hänger sig.\n\nGet Outlook for Android<https://aka.ms/x>')?.service).toBe('erp');
  });
});

describe('what a report says, in the words of fixtures/incidents-tuning-3/ (slow, late, garbled; look-alikes)', () => {
  const symptomOf = (subject: string, text = '') => nw(subject, text)?.symptom ?? null;

  it('hears an outage said as slow, late, hanging or garbled, in five languages', () => {
    expect(nw('Customer emails turning up late')).toMatchObject({ service: 'email', symptom: 'turning up late' });
    expect(nw('E-Mails kommen mit großer Verzögerung an')).toMatchObject({ service: 'email', symptom: 'Verzögerung' });
    expect(nw('Mejlen kommer sent')).toMatchObject({ service: 'email', symptom: 'kommer sent' });
    expect(nw('Inbox heel stil vanochtend')).toMatchObject({ service: 'email', symptom: 'Inbox heel stil' });
    expect(nw('Messages reçus avec une heure de retard')).toMatchObject({ service: 'email' });
    expect(nw('SAP hängt – Sanduhr bei VA01')).toMatchObject({ service: 'erp', symptom: 'hängt' });
    expect(nw('Goederenontvangst boeken duurt eeuwig', 'MIGO gaf "Time limit exceeded".')).toMatchObject({ service: 'erp' });
    expect(nw('SAP jättesegt')).toMatchObject({ service: 'erp', symptom: 'jättesegt' });
    expect(nw('SAP extrêmement lent', 'SAP rame énormément.')?.symptom).not.toBeNull();
    expect(nw('Print-outs coming out as random characters', 'The printer spat out 30 pages.')).toMatchObject({ service: 'printing', symptom: 'random characters' });
    expect(nw('PCL XL error', 'Every page the printer prints says PCL XL error.')).toMatchObject({ service: 'printing', symptom: 'PCL XL error' });
    // "Hängt davon ab" is "it depends"; "une rame de papier" is a ream.
    expect(symptomOf('Drucker', 'Ob der Drucker reicht, hängt davon ab, wie viel wir drucken.')).toBeNull();
    expect(symptomOf('Imprimante', "Il faut commander une rame de papier pour l'imprimante.")).toBeNull();
  });

  it('takes the way a mail came ("writing from my private mail") for no service, and the first floor named for the place', () => {
    expect(nw('Skriver från privata mejlen – ingen uppkoppling på jobbet', 'Ingen webbsida laddar.')?.service).toBe('network');
    expect(nw('Stockholmskontoret når inte ut', 'Lena i Stockholm ringde: ingen där kan surfa eller få mejl, de kommer inte in i Teams.')).toMatchObject({ service: 'network', site: 'stockholm' });
    expect(nw('Nothing printing', 'Our bank of desks on 3 is in the same boat; we email things to Jack on the 2nd floor to print.')?.floor).toBe(3);
  });

  it('takes questions, requests, notices, a past outage and one person\'s own cause for no outage report', () => {
    expect(symptomOf('Can I get SAP access?', 'How do I get access? SAP is so slow for me to learn.')).toBeNull();
    expect(symptomOf('Comment mettre un message d\'absence ?', 'Comment est-ce que je programme un message d\'absence dans Outlook ? Mes mails arrivent en retard.')).toBeNull();
    expect(symptomOf('FW: [LON-3-PRN02] Error', 'This is an automatically generated message. Printer offline.')).toBeNull();
    expect(symptomOf('WG: Geplante Wartung SAP', 'Am Samstag ist SAP wegen eines Upgrades nicht erreichbar.')).toBeNull();
    expect(symptomOf('SAP-Ausfall gestern Nachmittag', 'Gestern war SAP nicht erreichbar. Heute früh lief alles wieder normal.')).toBeNull();
    expect(symptomOf('Outlook keeps asking for my password', 'I changed my Windows password yesterday evening. Outlook says Disconnected.')).toBeNull();
    expect(symptomOf('Geen autorisatie voor ME21N', 'SAP doet raar, het werkt niet.')).toBeNull();
    expect(symptomOf('Låst i SAP', 'Jag skrev fel lösenord för många gånger, SAP fungerar inte.')).toBeNull();
    expect(symptomOf('Email bounced', "550 5.1.2 Host unknown; it won't work.")).toBeNull();
    expect(symptomOf('Thuis erg traag internet', 'Mijn internet thuis is erg traag.')).toBeNull();
    expect(symptomOf('Laptop slow', 'My laptop is really slow in Outlook.')).toBeNull();
    // Not a question that asks how to do something, nor "it does not work again":
    expect(symptomOf('Drucken', 'Seit 9 Uhr kann man im 2. OG nicht drucken, der Drucker geht nicht.')).not.toBeNull();
    expect(symptomOf('Réseau', 'Le réseau ne marche plus au 2e.')).not.toBeNull();
  });

  it('reads "is it only me?" as a question, not as one person\'s problem', () => {
    expect(symptomOf('Ausdruck kommt nicht an', 'Am Drucker im 2. OG liegt nichts, Status "Offline". Geht das nur mir so?')).not.toBeNull();
    expect(symptomOf('Wifi', 'The wifi is down, is it just me?')).not.toBeNull();
    expect(symptomOf('Wifi', 'The wifi is down, but only me.')).toBeNull();
  });
});

describe('what a report says, in the words of fixtures/incidents-tuning-4/ (refused sign-ins, error pages, silent calls)', () => {

  it('hears a sign-in refused with the right password, an error page and calls without sound, in five languages', () => {
    expect(nw('VPN', 'Kommer inte in. Det står bara ”Autentiseringen misslyckades”.')).toMatchObject({ service: 'vpn' });
    expect(nw('Connexion VPN refusée', "Le VPN refuse la connexion depuis ce matin.")).toMatchObject({ service: 'vpn', symptom: 'refuse la connexion' });
    expect(nw('AW: VPN?', 'Die Meldung lautet „Authentifizierung fehlgeschlagen“.')).toMatchObject({ service: 'vpn', symptom: 'Authentifizierung fehlgeschlagen' });
    expect(nw('Geen VPN verbinding', 'Ik kom niet op de VPN.')).toMatchObject({ service: 'vpn', symptom: 'kom niet op de' });
    expect(nw('Spesenportal zeigt nur Fehlerseite', 'Die Anmeldung klappt, danach kommt sofort diese Seite.')).toMatchObject({ service: 'expenses', symptom: 'Fehlerseite' });
    expect(nw('Declaraties', 'Is er iets met het declaratiesysteem? Ik krijg het niet open.')).toMatchObject({ service: 'expenses', symptom: 'krijg het niet open' });
    expect(nw('Reseräkning', 'Sidan är bara vit med texten ”Service Unavailable”.')).toMatchObject({ service: 'expenses' });
    expect(nw('Plus de son sur les appels vers l\'extérieur', 'La ligne s\'ouvre mais on n\'entend rien.')).toMatchObject({ service: 'phones', symptom: 'Plus de son' });
    expect(nw('Ligne fixe muette')).toMatchObject({ service: 'phones', symptom: 'muette' });
    expect(nw('Draadloos: verbonden maar geen verkeer', 'Op de 4e verdieping.')).toMatchObject({ service: 'network', floor: 4, symptom: 'geen verkeer' });
  });

  it('reads "works again" or "fine elsewhere" said of another service or site as no reason to drop the report', () => {
    expect(nw('Notes de frais : page d\'erreur', "J'ai une page blanche avec « Service Unavailable ».\n\n(Le VPN refonctionne depuis 9h15 environ, merci.)")).toMatchObject({ service: 'expenses', symptom: 'Service Unavailable' });
    expect(nw('Lyon phones?', 'It connects, then nothing: no voice, just silence.\nCalls to our Hamburg colleagues go through fine.')).toMatchObject({ service: 'phones', site: 'lyon', symptom: 'no voice' });
    // Said of the service reported, it still drops it.
    expect(nw('Telefon', 'Das Telefon geht nicht. Seit gestern Abend, das Telefon der Kollegen funktioniert normal.')?.symptom).toBeNull();
    // "fonctionnent normalement" is how things are, not "working again".
    expect(nw('Appels clients sans son', 'Il n\'y a aucun son. Les appels internes fonctionnent normalement.')).toMatchObject({ service: 'phones', symptom: 'aucun son' });
  });

  it('takes a past week, weeks of trouble, a file too large and "the others don\'t have it" for no fresh outage', () => {
    expect(nw('Spesenportal letzte Woche', 'Letzten Mittwoch war das Spesenportal nicht erreichbar.')?.symptom).toBeNull();
    expect(nw('Wifi achter in hal 3', 'Al een paar weken valt de wifi weg achter in hal 3.')?.symptom).toBeNull();
    expect(nw('Kvitto går inte att ladda upp', 'Fick felet ”The file exceeds the maximum size of 5 MB”. Reseräkningen går inte.')?.symptom).toBeNull();
    expect(nw('Outlook funktioniert nicht', 'Outlook funktioniert nicht. Die Kolleginnen im Einkauf haben das Problem nicht.')?.symptom).toBeNull();
  });

  it("takes a desk phone and a printer of one floor failing together for the floor's network", () => {
    expect(nw('Téléphone de bureau éteint + imprimante introuvable', "Mon téléphone (2e étage) s'est éteint. Et l'imprimante du 2e n'apparaît plus.")).toMatchObject({ service: 'network', floor: 2 });
    expect(nw('Imprimante en panne', "L'imprimante du 2e étage est en panne.")).toMatchObject({ service: 'printing' });
  });
});

describe('what a report says, in the words of fixtures/incidents-tuning-5/ (a Monday after a change window)', () => {

  it('hears mail stuck in the outbox, a sync stuck, a room that never joins, in four languages', () => {
    expect(nw('Outlook on laptop says Trying to connect', 'The two emails I sent are sitting in the Outbox.')).toMatchObject({ service: 'email', symptom: 'Trying to connect' });
    expect(nw('OneDrive ne synchronise plus')).toMatchObject({ service: 'cloud-files', symptom: 'ne synchronise plus' });
    expect(nw('Speicherstadt: Raumsystem kommt nicht in die Besprechung', 'Mit Teams klappt es nicht.')).toMatchObject({ service: 'teams', symptom: 'kommt nicht in' });
    expect(nw('Hamburg meeting room not joining Teams', 'The Hamburg room never appeared in the meeting.')).toMatchObject({ service: 'teams', symptom: 'never appeared' });
  });

  it('takes "since Saturday" for a weekend change met by everyone, but "since Tuesday" for days of trouble', () => {
    expect(nw('Outlook på datorn', 'Outlook står på ”Frånkopplad” och inget nytt har kommit in sedan i lördags.')?.symptom).not.toBeNull();
    expect(nw('Outlook på datorn', 'Outlook står på ”Frånkopplad” sedan i tisdags.')?.symptom).toBeNull();
  });

  it("takes a quota sheet for no quota, and a headset or a stolen phone for the writer's own", () => {
    expect(nw('OneDrive stuck on Processing changes', 'He still sees my old version of the quota sheet.')?.symptom).toBe('stuck on');
    expect(nw('Postfach', 'Mein Postfach hat das Speicherkontingent überschritten, Outlook geht nicht.')?.symptom).toBeNull();
    expect(nw('Inget ljud i Teams i headsetet', 'Inget ljud i Teams.')?.symptom).toBeNull();
    expect(nw('Work phone stolen - please block', "Someone stole it, I can't log in to anything.")?.symptom).toBeNull();
  });
});

describe('what a report says, in the words of fixtures/incidents-tuning-6/ (remote desktops, the wiki, clock-in terminals)', () => {

  it('knows remote desktops, the wiki, the self-service password reset and clock-in terminals, and how each fails', () => {
    expect(nw('Externe werkplek loopt steeds vast')).toMatchObject({ service: 'remote-desktop', symptom: 'loopt steeds vast' });
    expect(nw('Remote screen on dispatch PC keeps stopping')).toMatchObject({ service: 'remote-desktop', symptom: 'keeps stopping' });
    expect(nw('Confluence visar ”Något gick fel”')).toMatchObject({ service: 'wiki', symptom: 'Något gick fel' });
    expect(nw('Wiki: Fehler 500 beim Speichern')).toMatchObject({ service: 'wiki', symptom: 'Fehler 500' });
    expect(nw('Self-service wachtwoordreset geeft foutcode SSPR_5000')).toMatchObject({ service: 'password-reset', symptom: 'geeft foutcode' });
    expect(nw('Pointeuse du 2e', 'La pointeuse du 2e fait trois bips et un écran rouge quand je badge.')).toMatchObject({ service: 'time-clock', floor: 2 });
    expect(nw('Zeiterfassung: keine Buchungen aus Lyon seit 11:55')).toMatchObject({ service: 'time-clock', site: 'lyon', symptom: 'keine Buchungen' });
  });
});

describe('when two reports are of one outage', () => {
  it('needs the same service down on both, and for a local service the same place or none named', () => {
    const wifi = report('Wi-Fi down in Hamburg')!;
    expect(evidence(wifi, report('WLAN geht nicht', 'Im 3. OG in Hamburg.')!, rules)).toBe(5);
    expect(evidence(wifi, report('no internet', 'none of us can get online')!, rules)).toBe(3);
    expect(evidence(wifi, report('Wi-Fi down in Malmö')!, rules)).toBe(0);
    expect(evidence(wifi, report('VPN down')!, rules)).toBe(0);
    expect(evidence(wifi, report('Wi-Fi password?', 'What is the guest Wi-Fi password in Hamburg?')!, rules)).toBe(0);
  });

  it("takes a site's service (its badge readers, its network) as one for all its floors, but not a floor's (its printers)", () => {
    const northwind = parseConfig({ incidents: { sites: ['Amsterdam', 'Lyon'] } }).incidents;
    const nw = (subject: string, text = '') => readReport(subject, text, northwind)!;
    expect(evidence(nw('Pasje doet het niet', 'Op de tweede verdieping, Amsterdam.'), nw('Deur gaat niet open', 'Mijn pas werkt niet op de 3e verdieping in Amsterdam.'), northwind)).toBe(5);
    expect(evidence(nw('Pasje doet het niet', 'Amsterdam'), nw('Badge reader not working', 'Lyon office'), northwind)).toBe(0);
    expect(evidence(nw('Plus de réseau au 2e étage'), nw('Plus de réseau au 4e étage'), northwind)).toBe(3);
    expect(evidence(nw('Wifi valt weg', '1e verdieping, Amsterdam'), nw('Geen internet', '3e verdieping in Amsterdam'), northwind)).toBe(5);
    expect(evidence(nw("L'imprimante du 2e étage ne marche plus"), nw("L'imprimante du 4e étage ne marche plus"), northwind)).toBe(0);
  });

  it('takes a global service as down for everyone: places do not split it', () => {
    expect(evidence(report('Outlook disconnected in the London office')!, report('Mejlen fungerar inte på kontoret i Malmö')!, rules)).toBe(3);
  });
});

describe('when reports become an incident', () => {
  it('forms one at the third person within the window, and says why', () => {
    const a = reported('ann@northwind.example', 0, 'Wi-Fi down on the 3rd floor');
    const b = reported('ben@northwind.example', 4, 'WLAN im 3. OG geht nicht');
    expect(decideIncident(b, [a], rules)).toMatchObject({ kind: 'alone', why: 'too-few' });
    const c = reported('cat@northwind.example', 9, 'no internet up here', "We're all tethering to our phones.");
    const decision = decideIncident(c, [a, b], rules);
    expect(decision).toMatchObject({ kind: 'forms', members: [a.ticketId, b.ticketId] });
    expect(incidentReasonText(decision, rules)).toBe(`3rd report of Wi-Fi and network down (floor 3) within 9 min, like ${a.ticketId}, ${b.ticketId}: a new incident`);
  });

  it('joins the open incident its reports are in', () => {
    const a = reported('ann@northwind.example', 0, 'SAP down', '', 'INC-7');
    const decision = decideIncident(reported('dan@northwind.example', 12, 'SAP geht nicht'), [a], rules);
    expect(decision).toMatchObject({ kind: 'joins', incidentId: 'INC-7' });
    expect(incidentReasonText(decision, rules)).toMatch(/^2nd report of the ERP system down within 12 min, like TKT-\d+: joins INC-7$/);
  });

  it('joins an open incident after the window while it is still being reported, at its place, and not its own reporter again', () => {
    const members = [0, 5, 20].map((minute, i) => ({ ticketId: `TKT-${i + 1}`, requester: `r${i}@northwind.example`, at: new Date(Date.parse('2026-12-07T08:00:00Z') + minute * 60_000).toISOString() }));
    const wifi = { incidentId: 'INC-3', service: 'network', site: 'hamburg', floor: 3, members };
    // 65 minutes after the first report, 45 after the latest: joins, and the reason counts from the first.
    const late = decideIncident(reported('zoe@northwind.example', 65, 'WLAN geht nicht', 'Im 3. OG in Hamburg, seit heute früh.'), [], rules, [wifi]);
    expect(late).toMatchObject({ kind: 'joins', incidentId: 'INC-3' });
    expect(incidentReasonText(late, rules)).toBe('4th report of Wi-Fi and network down (floor 3, Hamburg) within 65 min, like TKT-1, TKT-2, TKT-3: joins INC-3');
    // Not when it names no place (the window no longer narrows a local service down), not at another site,
    // not when nobody wrote for two windows, and not from someone already in it.
    expect(decideIncident(reported('zoe@northwind.example', 65, 'Wi-Fi down'), [], rules, [wifi])).toMatchObject({ kind: 'alone' });
    expect(decideIncident(reported('zoe@northwind.example', 65, 'Wi-Fi down', 'Malmö, 3rd floor.'), [], rules, [wifi])).toMatchObject({ kind: 'alone' });
    expect(decideIncident(reported('zoe@northwind.example', 81, 'WLAN geht nicht', 'Im 3. OG in Hamburg, seit heute früh.'), [], rules, [wifi])).toMatchObject({ kind: 'alone' });
    expect(decideIncident(reported('r1@northwind.example', 65, 'WLAN geht nicht', 'Im 3. OG in Hamburg, seit heute früh.'), [], rules, [wifi])).toMatchObject({ kind: 'alone' });
  });

  it('does not group one person writing three times, reports outside the window, or unrelated printer problems', () => {
    const same = ['first', 'second'].map((w, i) => reported('ann@northwind.example', i * 5, `VPN down (${w})`));
    expect(decideIncident(reported('ann@northwind.example', 10, 'VPN still down'), same, rules)).toMatchObject({ kind: 'alone' });
    const old = [reported('ben@northwind.example', 0, 'VPN down'), reported('cat@northwind.example', 5, 'VPN down')];
    expect(decideIncident(reported('dan@northwind.example', 45, 'VPN down'), old, rules)).toMatchObject({ kind: 'alone', why: 'too-few', reason: null });
    const printers = [
      reported('eva@northwind.example', 0, 'Printer not working', 'The printer on the 2nd floor shows a red light.'),
      reported('finn@northwind.example', 20, 'Drucker geht nicht', 'Der Drucker im 4. OG hat einen Papierstau.'),
    ];
    expect(decideIncident(reported('gus@northwind.example', 40, 'Printer toner low', 'The kitchen printer says toner low.'), printers, rules)).toMatchObject({ kind: 'alone' });
  });

  it('does not let a report that names no place bridge the same service at two places', () => {
    const hamburg = [reported('ann@northwind.example', 0, 'WLAN geht nicht', 'Im Büro Hamburg kein Internet.', 'INC-3'), reported('ben@northwind.example', 2, 'WLAN Störung', 'Hamburg', 'INC-3')];
    const unplaced = reported('cat@northwind.example', 4, 'wifi down', '', 'INC-3');
    const malmo = reported('dan@northwind.example', 6, 'Wifi nere', 'Nätet ligger nere på kontoret i Malmö.');
    // The Malmö report matches the unplaced one, but the incident it is in is Hamburg's.
    expect(decideIncident(malmo, [...hamburg, unplaced], rules)).toMatchObject({ kind: 'alone' });
  });

  it('keeps an excluded category and a ticket with no report out', () => {
    const excluded = parseConfig({ incidents: { excludedCategories: ['security'] } }).incidents;
    const fresh = { ...reported('ann@northwind.example', 0, 'Outlook down'), category: 'security' };
    expect(decideIncident(fresh, [], excluded)).toMatchObject({ kind: 'alone', why: 'excluded-category' });
    expect(decideIncident({ ...fresh, category: null, report: null }, [], rules)).toMatchObject({ kind: 'alone', why: 'no-report' });
  });

  it('refuses a pattern that is not a regular expression, naming it', () => {
    expect(() => parseConfig({ incidents: { symptoms: ['down(('] } })).toThrow(/incident symptoms: pattern "down\(\(" is not a valid regular expression/);
  });
});
