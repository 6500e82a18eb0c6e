/**
 * A seeded generator of outage storms for the incident evaluation: mornings at a company with
 * sites in Hamburg, Malmö and London, where a service goes down for a site (or a floor of it)
 * and several people write in within minutes, each in their own words and language (English,
 * German, Swedish), among unrelated tickets, hard ones included: one person's problem with the
 * same service, and people with their own printer trouble in the same hour.
 */
import { mulberry32 } from '../support/random.js';

export interface GeneratedTicket {
  id: string;
  requester: string;
  at: string;
  subject: string;
  text: string;
  /** The storm it belongs to (ground truth), or null. */
  storm: string | null;
}

export const SITES = ['Hamburg', 'Malmö', 'London'] as const;
type Site = (typeof SITES)[number];
type Lang = 'en' | 'de' | 'sv';
const LANG: Record<Site, Lang[]> = { Hamburg: ['de', 'de', 'en'], Malmö: ['sv', 'sv', 'en'], London: ['en'] };

/** Per service and language: subjects and sentences saying it is down (`{place}` is where, or nothing). */
const STORM_WORDING: Record<string, Record<Lang, { subjects: string[]; lines: string[] }>> = {
  network: {
    en: {
      subjects: ['Wi-Fi down', 'No internet', 'wifi down again??', 'Network gone{place}', 'Internet not working{place}', 'no wifi{place}'],
      lines: ['The Wi-Fi is down{place}, none of us can get online.', "No internet up here{place}, we're all tethering to our phones.", 'Network is gone{place}. Laptops say no internet.', 'wifi not working{place}, the whole team is affected', 'Cannot connect to the wifi{place} since a few minutes.'],
    },
    de: {
      subjects: ['WLAN geht nicht', 'Kein Internet{place}', 'Netzwerk ausgefallen', 'WLAN Störung{place}'],
      lines: ['Das WLAN{place} geht nicht, keiner kommt ins Internet.', 'Kein Internet{place}, alle Laptops zeigen keine Verbindung.', 'Seit 10 Minuten ist das Netzwerk{place} ausgefallen.', 'WLAN funktioniert nicht{place}, wir nutzen gerade Hotspots vom Handy.'],
    },
    sv: {
      subjects: ['Wifi fungerar inte', 'Inget internet{place}', 'Nätverket nere', 'wifi nere{place}'],
      lines: ['Wifi:t fungerar inte{place}, ingen kommer ut på internet.', 'Nätet ligger nere{place}, alla sitter på mobilen som hotspot.', 'Ingen anslutning till nätverket{place} sedan en kvart.', 'Internet funkar inte{place}, hela avdelningen är drabbad.'],
    },
  },
  email: {
    en: {
      subjects: ['Outlook disconnected', 'Email not working', 'Cannot send mail', 'Outlook says disconnected{place}'],
      lines: ['Outlook shows disconnected and no mail comes in.', "Email isn't working{place}, I can't send or receive.", 'Exchange seems down, Outlook keeps trying to connect.', 'Mail not working for anyone here{place}.'],
    },
    de: {
      subjects: ['Outlook getrennt', 'E-Mail geht nicht', 'Keine Mails{place}'],
      lines: ['Outlook zeigt getrennt an, es kommen keine Mails.', 'E-Mail funktioniert nicht{place}, senden geht nicht.', 'Exchange ist nicht erreichbar, Outlook verbindet sich nicht.'],
    },
    sv: {
      subjects: ['Outlook frånkopplad', 'Mejlen fungerar inte', 'Ingen e-post{place}'],
      lines: ['Outlook säger frånkopplad och ingen mejl kommer in.', 'Mejlen fungerar inte{place}, kan inte skicka.', 'E-posten ligger nere, Outlook går inte att ansluta.'],
    },
  },
  vpn: {
    en: { subjects: ['VPN down', 'Cannot connect to VPN', 'VPN not working'], lines: ["The VPN won't connect, it times out.", 'VPN is down, GlobalProtect says gateway unreachable.', "Can't connect to the VPN from home since 9."] },
    de: { subjects: ['VPN geht nicht', 'Keine VPN Verbindung'], lines: ['Das VPN geht nicht, GlobalProtect meldet Gateway nicht erreichbar.', 'Keine Verbindung zum VPN aus dem Homeoffice.'] },
    sv: { subjects: ['VPN fungerar inte', 'VPN nere'], lines: ['VPN fungerar inte, GlobalProtect säger att gatewayen inte svarar.', 'Kan inte ansluta till VPN hemifrån, det går inte.'] },
  },
  erp: {
    en: { subjects: ['SAP down?', 'SAP not reachable', 'ERP not working'], lines: ['SAP is not reachable, the logon pad times out.', 'Cannot log in to SAP, it just hangs.', 'SAP seems down for the whole finance team.'] },
    de: { subjects: ['SAP geht nicht', 'SAP nicht erreichbar'], lines: ['SAP ist nicht erreichbar, die Anmeldung hängt.', 'SAP funktioniert nicht, das ganze Team ist betroffen.'] },
    sv: { subjects: ['SAP fungerar inte', 'SAP nere'], lines: ['SAP går inte att nå, inloggningen hänger sig.', 'SAP ligger nere för hela ekonomiavdelningen.'] },
  },
};

/** Tickets that name a service without an outage, or a problem of one person's own. */
const UNRELATED: Record<Lang, { subject: string; text: string }[]> = {
  en: [
    { subject: 'VPN asks for my password every morning', text: 'Every morning GlobalProtect asks for my password again, can it remember it?' },
    { subject: 'Out of office in Outlook', text: 'How do I set an automatic reply in Outlook for my holiday?' },
    { subject: 'Printer toner low', text: 'The printer next to the kitchen says toner low, can someone replace it?' },
    { subject: 'Printer jams all the time', text: 'My desk printer jams on every second page. Error 13.2 paper jam.' },
    { subject: 'Printer not working', text: 'The printer by my desk on the {floor} floor is not working, it shows a red light.' },
    { subject: "Laptop won't connect", text: "My laptop can't connect to the Wi-Fi since I changed my password, my phone is fine." },
    { subject: 'New monitor', text: 'Could I get a second monitor for my desk? Thanks!' },
    { subject: 'Password reset', text: 'I forgot my password, please reset it.' },
    { subject: 'Laptop wifi after update', text: 'Since the Windows update yesterday my laptop only finds the guest Wi-Fi, my colleagues are fine.' },
    { subject: 'Teams background', text: 'Is there a way to add our company background in Teams?' },
    { subject: 'Access to Finance share', text: 'Please give me access to the finance file share, my manager approved it.' },
    { subject: 'Keyboard missing keys', text: 'Two keys fell off my keyboard, can I get a new one? No rush.' },
  ],
  de: [
    { subject: 'Drucker druckt schief', text: 'Mein Drucker am Platz druckt alles schief, bitte prüfen.' },
    { subject: 'Drucker geht nicht', text: 'Der Drucker im {floor}. OG geht nicht, Papierstau in Fach 2.' },
    { subject: 'Neuer Mitarbeiter', text: 'Am Montag fängt ein neuer Kollege an, bitte Laptop und Konto vorbereiten.' },
    { subject: 'Outlook Signatur', text: 'Wie ändere ich meine Signatur in Outlook?' },
    { subject: 'VPN Passwort abgelaufen', text: 'Mein VPN Passwort ist abgelaufen, wie kann ich es ändern?' },
    { subject: 'Maus defekt', text: 'Meine Maus ist kaputt, kann ich eine neue bekommen?' },
  ],
  sv: [
    { subject: 'Skrivaren har slut på papper', text: 'Skrivaren på plan {floor} har slut på papper och jag hittar inget nytt.' },
    { subject: 'Skrivaren fungerar inte', text: 'Min skrivare vid skrivbordet på plan {floor} fungerar inte sedan i morse, den blinkar rött.' },
    { subject: 'Ny skärm', text: 'Kan jag få en större skärm till mitt skrivbord?' },
    { subject: 'Lösenord', text: 'Jag har glömt mitt lösenord, kan ni återställa det?' },
    { subject: 'Teams bakgrund', text: 'Hur lägger jag till en bakgrundsbild i Teams?' },
  ],
};

const NAMES = ['anna', 'ben', 'carla', 'dieter', 'elin', 'finn', 'greta', 'hugo', 'ida', 'jonas', 'karin', 'lars', 'maja', 'nils', 'olga', 'per', 'rita', 'sven', 'tove', 'ulf', 'vera', 'wim', 'yara', 'zoe'];

function placeWords(lang: Lang, site: Site, floor: number | null, rng: () => number): string {
  const roll = rng();
  if (roll < 0.35) return '';
  if (floor !== null && roll < 0.7) return { en: ` on the ${floor}${floor === 1 ? 'st' : floor === 2 ? 'nd' : floor === 3 ? 'rd' : 'th'} floor`, de: ` im ${floor}. OG`, sv: ` på våning ${floor}` }[lang];
  return { en: ` in the ${site} office`, de: ` im Büro ${site}`, sv: ` på kontoret i ${site}` }[lang];
}

/** One morning: `storms` outages among `background` unrelated tickets, all from distinct people per storm. */
export function generateMorning(seed: number, storms = 3, background = 60): GeneratedTicket[] {
  const rng = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const start = Date.parse('2026-12-07T07:00:00Z');
  const morning = 4 * 3600_000;
  const tickets: Omit<GeneratedTicket, 'id'>[] = [];
  let person = 0;
  const requester = (site: Site) => `${NAMES[person % NAMES.length]}.${Math.floor(person++ / NAMES.length)}.${site.toLowerCase().replace('ö', 'o')}@northwind.example`;
  // A service down twice in one morning would be one incident to anyone: each storm has its own
  // service, but the network (a site's own) may be down at two sites at once.
  const services = [...Object.keys(STORM_WORDING), 'network'];
  const sitesDown = new Set<string>();
  for (let s = 0; s < storms; s++) {
    const service = services.splice(Math.floor(rng() * services.length), 1)[0]!;
    const site = pick(SITES.filter((x) => !sitesDown.has(`${service}-${x}`)));
    sitesDown.add(`${service}-${site}`);
    const floor = service === 'network' && rng() < 0.6 ? 1 + Math.floor(rng() * 5) : null;
    const begins = start + rng() * (morning - 40 * 60_000);
    const reports = 3 + Math.floor(rng() * 6);
    // One outage of a global service is one storm wherever people write from.
    const storm = service === 'network' ? `network-${site.toLowerCase()}${floor ? `-${floor}` : ''}` : service;
    for (let r = 0; r < reports; r++) {
      const lang = pick(LANG[site]);
      const wording = STORM_WORDING[service]![lang];
      const place = placeWords(lang, site, floor, rng);
      const at = begins + r * (1 + rng() * 5) * 60_000;
      const text = `${pick(wording.lines).replace('{place}', place)}\n\n${lang === 'de' ? 'Gruß' : lang === 'sv' ? 'Hälsningar' : 'Thanks'}`;
      tickets.push({ requester: requester(site), at: new Date(at).toISOString(), subject: pick(wording.subjects).replace('{place}', rng() < 0.5 ? place : ''), text, storm });
    }
  }
  for (let b = 0; b < background; b++) {
    const site = pick(SITES);
    const item = pick(UNRELATED[pick(LANG[site])]);
    const floor = String(1 + Math.floor(rng() * 6));
    tickets.push({ requester: requester(site), at: new Date(start + rng() * morning).toISOString(), subject: item.subject, text: item.text.replace('{floor}', floor), storm: null });
  }
  return tickets.sort((a, b) => a.at.localeCompare(b.at)).map((t, i) => ({ id: `TKT-${i + 1}`, ...t }));
}
