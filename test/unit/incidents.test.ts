/**
 * Incident detection (src/domain/incidents/): what a report says, when two reports are of one
 * outage, and when reports become an incident, with the reason in words.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { decideIncident, evidence, type ReportedTicket } from '../../src/domain/incidents/grouping.js';
import { incidentReasonText } from '../../src/domain/incidents/reason.js';
import { readReport } from '../../src/domain/incidents/report.js';

const rules = parseConfig({ incidents: { sites: ['Hamburg', 'Malmö', 'London'] } }).incidents;
const report = (subject: string, text = '') => readReport(subject, text, rules);

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

describe('when two reports are of one outage', () => {
  it('needs the same service down on both, and for a local service the same place or none named', () => {
    const wifi3 = report('Wi-Fi down on the 3rd floor')!;
    expect(evidence(wifi3, report('WLAN im 3. OG geht nicht')!, rules)).toBe(5);
    expect(evidence(wifi3, report('no internet', 'none of us can get online')!, rules)).toBe(3);
    expect(evidence(wifi3, report('Wi-Fi down on the 2nd floor')!, rules)).toBe(0);
    expect(evidence(wifi3, report('VPN down')!, rules)).toBe(0);
    expect(evidence(wifi3, report('Wi-Fi password?', 'What is the guest Wi-Fi password on the 3rd floor?')!, rules)).toBe(0);
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
