import { describe, expect, it } from 'vitest';
import { identifiers } from '../../src/domain/identifiers.js';
import { fingerprint, normaliseSubject, similarity } from '../../src/domain/similarity.js';

describe('normaliseSubject', () => {
  it('drops reply/forward prefixes in several languages and ticket tags', () => {
    expect(normaliseSubject('RE: AW: Fwd: [TKT-4] Printer offline!')).toBe('printer offline');
    expect(normaliseSubject('SV: VS: Outlook crashes')).toBe('outlook crashes');
  });
});

describe('similarity', () => {
  const original = fingerprint(
    'Laptop will not boot',
    'Hi IT, my laptop (asset NW-10442, Dell Latitude 7440) shows a black screen with a blinking cursor after the BIOS logo and never reaches Windows. I tried a hard reset twice. I have a client call at 2pm. Thanks, Tom',
  );

  it('scores a re-sent request as a duplicate even with a new opening line', () => {
    const resent = fingerprint(
      'Laptop won’t boot',
      'Re-sending in case my first mail got lost. Hi IT, my laptop (asset NW-10442, Dell Latitude 7440) shows a black screen with a blinking cursor after the BIOS logo and never reaches Windows. I tried a hard reset twice. I have a client call at 2pm. Thanks, Tom',
    );
    const sim = similarity(original, resent);
    expect(sim.body).toBeGreaterThan(0.9);
    expect(sim.score).toBeGreaterThanOrEqual(0.8);
  });

  it('keeps a different problem from the same person apart, even with a similar subject', () => {
    const other = fingerprint(
      'Laptop issue',
      'Hi IT, my laptop charger stopped working this morning; the LED on the brick stays off with two different sockets. Could I borrow one from the spares cupboard? Thanks, Tom',
    );
    expect(similarity(original, other).score).toBeLessThan(0.8);
  });

  it('treats two empty bodies with the same subject as the same', () => {
    expect(similarity(fingerprint('Printer offline', ''), fingerprint('RE: Printer offline', '')).score).toBe(1);
  });
});

describe('identifiers as evidence', () => {
  it('finds asset tags, error codes and build numbers, not times, sizes or dates', () => {
    expect(identifiers('Laptop NW-LT-0217 on Windows 11 24H2, Outlook 16.0.17928.20114, error 0x800CCC0E at 10:30, 16GB RAM, 3rd floor, 2026-12-07')).toEqual(['nw-lt-0217', '24h2', '16.0.17928.20114', '0x800ccc0e']);
  });

  it('takes a resend reworded into another language as the same, when the tag and the error code agree', () => {
    const first = fingerprint('Windows update keeps failing', 'The update to 24H2 fails every night on my laptop NW-LT-0451 with error 0x800f0922. Could you look at it?');
    const again = fingerprint('Update-Fehler', 'Das Update bricht mit 0x800f0922 ab, Gerät NW-LT-0451. Bitte um Hilfe.');
    expect(similarity(first, again)).toMatchObject({ identifiers: { shared: expect.arrayContaining(['nw-lt-0451', '0x800f0922']), conflict: false } });
    expect(similarity(first, again).score).toBeGreaterThanOrEqual(0.8);
  });

  it('keeps near-identical mails about two laptops apart, and one error code from two apps', () => {
    const a = fingerprint('Laptop fan loud', 'The fan of my laptop NW-LT-0217 is very loud since Monday, even when idle.');
    const b = fingerprint('Laptop fan loud', 'The fan of my laptop NW-LT-0342 is very loud since Monday, even when idle.');
    expect(similarity(a, b)).toMatchObject({ identifiers: { shared: [], conflict: true } });
    expect(similarity(a, b).score).toBeLessThan(0.8);
    const miro = fingerprint('Cannot open Miro', 'Signing in to Miro fails with AADSTS50105.');
    const docusign = fingerprint('DocuSign sign-in', 'DocuSign says AADSTS50105 when I sign in.');
    expect(similarity(miro, docusign).score).toBeLessThan(0.8);
  });

  it('takes a short reworded resend naming the same asset tag as the same request', () => {
    const first = fingerprint('Scanner NW-HS-0023 offline in bay 4', 'Handheld scanner NW-HS-0023 will not connect to the wifi since start of shift, it says "Network not available". Restarted it twice.');
    const again = fingerprint('Scanner still offline', 'Sending again in case it got lost: NW-HS-0023 still not connecting in bay 4, "Network not available".');
    expect(similarity(first, again).score).toBeGreaterThanOrEqual(0.8);
  });

  it('keeps two requests alike but for the mailbox they name apart', () => {
    const a = fingerprint('Full Access to shared mailbox hr-recruiting@', 'Could you give me Full Access and Send As on the shared mailbox hr-recruiting@northwind.example? Karin Holt approved it.');
    const b = fingerprint('Full Access to shared mailbox hr-payroll@', 'Could you give me Full Access and Send As on the shared mailbox hr-payroll@northwind.example? Karin Holt approved it.');
    expect(similarity(a, b)).toMatchObject({ identifiers: { shared: [], conflict: true } });
    expect(similarity(a, b).score).toBeLessThan(0.8);
  });

  it('keeps a follow-up that says the first problem is over apart, even when it forwards the first mail whole', () => {
    const first = fingerprint('Projector in room Oslo finds no laptop', 'The projector in meeting room Oslo says "No signal" whatever we do. We tried two laptops and both HDMI cables.');
    const forward = fingerprint(
      'Fwd: Projector in room Oslo finds no laptop',
      'The projector works now, thanks! New problem in the same room: the ceiling microphone is not picked up by Teams. The projector in meeting room Oslo says "No signal" whatever we do. We tried two laptops and both HDMI cables.',
    );
    expect(similarity(first, forward).body).toBeGreaterThan(0.9);
    expect(similarity(first, forward).score).toBeLessThan(0.8);
  });

  it('reads a fingerprint made before identifiers (two lines) as having none', () => {
    expect(similarity('laptop fan loud\nthe fan is loud', fingerprint('Laptop fan loud', 'The fan is loud NW-LT-0217')).identifiers).toEqual({ shared: [], conflict: false });
  });
});

describe('what a mail is about, and what says two things', () => {
  const merged = (a: [string, string], b: [string, string]) => similarity(fingerprint(...a), fingerprint(...b)).score >= 0.8;

  it('takes a two-line phone chase that repeats the first mail’s key terms as the same request', () => {
    const first: [string, string] = [
      'Staff badge no longer opens the car park gate',
      'Hello,\n\nsince this morning my staff badge does not open the car park gate in Leeds any more. The reader beeps twice and shows red. The doors inside the building still open with the same badge.\n\nCould you check my access rights?\n\nThanks,\nNils',
    ];
    expect(merged(first, ['Car park', 'Morning, again the badge will not open the car park gate, reader red and beeps twice like yesterday. Can someone fix it?\n\nNils'])).toBe(true);
    expect(merged(first, ['Monitor arm', 'Morning, could someone fit a monitor arm on my desk next week? The old one is loose.\n\nNils'])).toBe(false);
  });

  it('takes a resend in another language naming the same tag and product as the same request', () => {
    const first: [string, string] = ['Jabra headset not recognised', 'After last night’s Windows update my Jabra headset is no longer recognised on laptop NW-LT-0580. The USB dongle lights up but Windows says the USB device is not recognised.'];
    const again: [string, string] = ['Headset wird nicht erkannt', 'Mein Jabra-Headset wird seit dem Update immer noch nicht erkannt (NW-LT-0580). Der USB-Dongle leuchtet, aber Windows meldet einen Fehler.'];
    expect(merged(first, again)).toBe(true);
  });

  it('leaves out the signature card, which every mail of one person shares', () => {
    const print = fingerprint('VPN', 'The VPN drops every hour.\n\nKind regards,\nAnna Berg\nHead of Treasury | Northwind\n+46 8 555 0100');
    expect(print.split('\n')[1]).toBe('the vpn drops every hour');
  });

  it('keeps the same request for another date, room, cost centre or person apart', () => {
    const booking = (day: string, room: string): [string, string] => ['AV support', `Could we have a technician for the town hall on Thursday ${day} January in room ${room}, from 9:00 to set up the cameras and microphones?`];
    expect(merged(booking('14', 'Thames'), booking('14', 'Thames'))).toBe(true);
    expect(merged(booking('14', 'Thames'), booking('28', 'Thames'))).toBe(false);
    expect(merged(booking('14', 'Thames'), booking('14', 'Severn'))).toBe(false);
    const order = (cc: string): [string, string] => ['Order: 2 webcams', `Please order two Logitech webcams on cost centre ${cc} for the new desks in Marketing. Approved by my manager.`];
    expect(merged(order('5200'), order('5300'))).toBe(false);
    const access = (name: string): [string, string] => ['Folder access', `Please give read access to the Finance export folder for ${name}, who supports the month-end close from February. I approve it as the folder owner.`];
    expect(merged(access('Lena Fischer'), access('Jonas Krüger'))).toBe(false);
  });

  it('keeps apart a second printer named next to the first, and the same ask for another app', () => {
    const first: [string, string] = ['Printer PRN-GOT-1F-01 error 49.4C02', 'The printer at reception, PRN-GOT-1F-01, shows error 49.4C02 and prints nothing. We restarted it twice.'];
    expect(merged(first, ['Printer PRN-GOT-2F-03 error 49.4C02', 'Now the printer on floor 2, PRN-GOT-2F-03, shows error 49.4C02 as well. You already have my mail about PRN-GOT-1F-01, this one is by the warehouse.'])).toBe(false);
    const miro: [string, string] = ['Figma blocked', 'When I install the Figma desktop app Windows says "This app has been blocked by your system administrator". Could you install it or allow it?'];
    const loom: [string, string] = ['Loom blocked', 'Same message when I install the Loom desktop app: "This app has been blocked by your system administrator". Could you install it or allow it as well?'];
    expect(merged(miro, loom)).toBe(false);
  });

  it('reads "works again" as the first problem over, but not "geht wieder nicht"', () => {
    const first: [string, string] = ['Drucker druckt nicht', 'Der Drucker im 4. OG druckt seit heute Morgen nichts mehr, die Aufträge bleiben in der Warteschlange hängen. Neustart hat nicht geholfen.'];
    expect(merged(first, ['Drucker', 'Der Drucker im 4. OG geht wieder nicht, die Aufträge bleiben immer noch in der Warteschlange hängen.'])).toBe(true);
    expect(merged(first, ['Drucker', 'Danke, der Drucker im 4. OG geht wieder! Aber jetzt bleiben die Aufträge für den Scanner in der Warteschlange hängen.'])).toBe(false);
  });
});

describe('generic subjects, chases, vague first mails and follow-up work', () => {
  const merged = (a: [string, string], b: [string, string]) => similarity(fingerprint(...a), fingerprint(...b)).score >= 0.8;

  it('does not take a generic subject ("Help", "IT issue") as shared evidence for two unrelated problems', () => {
    const ipad: [string, string] = ['Help', 'Since I changed my password this morning the Mail app on my iPad keeps asking for my password and then says it is wrong.\n\nNeil'];
    const room: [string, string] = ['Help', 'The screen in the Thames meeting room shows "No signal" on both HDMI cables. I have a client meeting there at 2pm.\n\nNeil'];
    expect(merged(ipad, room)).toBe(false);
    expect(merged(['Fehlermeldung in Excel', 'Beim Ausführen des Makros bekomme ich Laufzeitfehler 1004: Die Methode SaveAs ist fehlgeschlagen.'], ['Fehlermeldung in Excel', 'Beim Start kommt: Das Add-In DATEV konnte nicht geladen werden. Fehler 0x80070002.'])).toBe(false);
  });

  it('takes an identical subject that names the thing, with more terms shared, as the same request', () => {
    const first: [string, string] = ['Can’t print to the level 3 plotter', 'The job for the plotter on level 3 shows up in the queue, then disappears and nothing comes out. Tried from Acrobat and AutoCAD.'];
    const again: [string, string] = ['Can’t print to the level 3 plotter', 'Got a screenshot this time. From Acrobat the dialog says "Operation failed with error 0x0000011b". Still nothing coming out.'];
    expect(merged(first, again)).toBe(true);
  });

  it('takes a "did you get my mail?" chase that names the same thing as the same request', () => {
    const first: [string, string] = ['Exact Online account geblokkeerd', 'Ik kan sinds vanochtend niet meer inloggen in Exact Online. Ik krijg de melding dat mijn account is geblokkeerd. Kunnen jullie het vrijgeven? Ik moet vandaag de betaalrun doen.'];
    const chase: [string, string] = ['Exact Online', 'Weet niet of mijn vorige mail verstuurd is, zit in de trein. Exact zegt nog steeds dat mijn account geblokkeerd is.'];
    expect(merged(first, chase)).toBe(true);
    // A chase that names something else is not the same request.
    expect(merged(first, ['Printer', 'Weet niet of mijn vorige mail verstuurd is. De printer op de tweede verdieping drukt alleen lege pagina’s af.'])).toBe(false);
  });

  it('reads a chase only in the writer\'s own words, not in a message they forward (fixtures/triage/04 and 15)', () => {
    const forward: [string, string] = [
      'Fwd: Overdue invoice INV-22917 - final reminder',
      "this came in to the finance mailbox this morning. We don't know this supplier and the attachment is a .zip file. I haven't opened it. Can you check it?\n\nMaria\n\nBegin forwarded message:\n\nFrom: Accounts Receivable\nSubject: Overdue invoice INV-22917 - final reminder\n\nYour invoice is overdue. Please open the attached file.",
    ];
    const excel: [string, string] = ['Excel crashes with the budget file', 'Since Monday Excel crashes every time I open the 2027 budget workbook with macros enabled. Other files are fine. Could you have a look?\n\nMaria'];
    expect(merged(forward, excel)).toBe(false);
    expect(merged(excel, forward)).toBe(false);
  });

  it('takes a resend in English that says so and names the same printer as the same request', () => {
    const sv: [string, string] = ['Skrivaren på plan 4 skriver ut tomma sidor', 'Skrivaren vid kaffeautomaten på plan 4 (NW-PR-0415) skriver bara ut tomma sidor sedan i morse. Tonern byttes i fredags.'];
    const en: [string, string] = ['Printer on floor 4 printing blank pages', 'Sending this again in English: the printer by the coffee machine on floor 4 (NW-PR-0415) prints only blank pages since this morning. The toner was changed on Friday.'];
    expect(merged(sv, en)).toBe(true);
  });

  it('takes a vague first mail and a precise one whose subject names the same thing as one request', () => {
    const vague: [string, string] = ['Laptop kaputt', 'Hallo, mein Laptop geht nicht mehr. Kann jemand vorbeikommen? Bin im 4. OG.'];
    const precise: [string, string] = ['Laptop NW-LT-0877 startet nicht – Bildschirm bleibt schwarz', 'Mein Laptop NW-LT-0877 startet seit heute früh nicht mehr richtig. Die Power-LED leuchtet, aber der Bildschirm bleibt schwarz.'];
    expect(merged(vague, precise)).toBe(true);
    expect(merged(vague, ['Drucker NW-PR-0302 druckt nicht', 'Der Drucker NW-PR-0302 im 4. OG zieht kein Papier ein, Fehler 13.A2.'])).toBe(false);
  });

  it('keeps apart the same request for someone the first mail never mentions', () => {
    const own: [string, string] = ['SAP Passwort zurücksetzen', 'Mein SAP-Benutzer (JWEBER, System P01, Mandant 100) ist gesperrt. Könnt ihr das Passwort bitte zurücksetzen?'];
    const colleague: [string, string] = ['SAP Passwort zurücksetzen', 'Bitte das SAP-Passwort für Leonie Brandt zurücksetzen (Benutzer LBRANDT, P01, Mandant 100). Sie hat das Initialpasswort zu oft falsch eingegeben.'];
    expect(merged(own, colleague)).toBe(false);
  });

  it('keeps apart two network folders, two installs on one laptop, two error numbers and two visit dates', () => {
    const folder = (path: string): [string, string] => ['Toegang map', `Graag lees- en schrijfrechten op de map ${path}. Nu krijg ik 'Toegang geweigerd'. Inge de Boer geeft akkoord.`];
    expect(merged(folder('\\\\nw-fs02\\Projecten\\2027\\Havenkwartier'), folder('\\\\nw-fs02\\Inkoop\\Contracten'))).toBe(false);
    expect(merged(folder('\\\\nw-fs02\\Projecten\\2027\\Havenkwartier'), folder('\\\\nw-fs02\\Projecten\\2027\\Havenkwartier'))).toBe(true);
    const install = (app: string): [string, string] => ['Installation de logiciel', `Bonjour, pourriez-vous installer ${app} sur mon ordinateur NW-LT-0702 ? Mon responsable a validé la demande. Merci, Manon`];
    expect(merged(install('QGIS'), install('Notepad++'))).toBe(false);
    const error = (code: string): [string, string] => ['Citrix Planning', `I cannot log in to the Citrix Planning workspace: "Cannot connect to the Citrix Workspace app. Error ${code}". Other Citrix apps work fine.`];
    expect(merged(error('1030'), error('1030'))).toBe(true);
    expect(merged(error('1030'), error('2320'))).toBe(false);
    const visit = (day: string): [string, string] => ['Solicitud de acceso – visita externa', `Formulario de acceso: visitante Marta Gil, Deloitte. Fecha de la visita: martes, ${day} de febrero de 2027. Necesita tarjeta de visitante y wifi de invitados.`];
    expect(merged(visit('9'), visit('16'))).toBe(false);
  });

  it('keeps apart, in the words of fixtures/duplicates/blind-3/: one error on two machines, a second tray after a fixed jam, access for a new colleague', () => {
    const laptop: [string, string] = ['Windows Update 0x80070643', 'Op mijn laptop NW-LT-0547 mislukt de cumulatieve update elke keer met fout 0x80070643.'];
    const pc: [string, string] = ['0x80070643 ook op receptie-pc', 'Dezelfde fout 0x80070643 komt nu ook op de receptie-pc NW-PC-0112, de update blijft hangen.'];
    expect(merged(laptop, pc)).toBe(false);
    const jam: [string, string] = ['Printer 3rd floor jams', 'The printer on the 3rd floor (NW-PR-0418) jams every few pages, paper gets stuck in tray 1.'];
    const tray: [string, string] = ['Printer NW-PR-0418 - second paper tray', 'Thanks for sorting out the 3rd floor printer (NW-PR-0418), the jams have stopped. Could we get a second paper tray added for letterhead?'];
    expect(merged(jam, tray)).toBe(false);
    const own: [string, string] = ['Behörighet till Power BI – Ekonomi', 'Jag behöver läsbehörighet till arbetsytan Ekonomi – Månadsrapporter i Power BI. Peter Lund godkänner.'];
    const sara: [string, string] = ['Behörighet till Power BI – Ekonomi för Sara', 'Vår nya kollega Sara Åkesson behöver läsbehörighet till arbetsytan Ekonomi – Månadsrapporter i Power BI. Peter Lund godkänner.'];
    expect(merged(own, sara)).toBe(false);
  });

  it('takes more detail on the earlier mail, "still can\'t", and a vague mail named in the precise one\'s text as one request', () => {
    const crash: [string, string] = ['Teams keeps crashing', 'Teams keeps closing on me in meetings. It disappears whenever I start sharing my screen.'];
    const detail: [string, string] = ['ms-teams.exe 0xc0000409 when sharing screen', 'More on the Teams problem: the crash is in Event Viewer, exception code 0xc0000409, within a second of clicking Share screen.'];
    expect(merged(crash, detail)).toBe(true);
    const vague: [string, string] = ['Laptop kaputt', 'Mein Laptop geht nicht mehr. Kann jemand vorbeikommen? Zimmer 3.11.'];
    const precise: [string, string] = ['NW-LT-0733 startet nicht', 'Mein Laptop startet nicht, es ist NW-LT-0733. Die Akku-LED blinkt orange. Ich sitze in Zimmer 3.11.'];
    expect(merged(vague, precise)).toBe(true);
  });

  it('keeps apart another order for an apprentice, "please also add", a second thing "while I think of it"; takes "this is the second time" as a chase', () => {
    const own: [string, string] = ['Headset order', 'Could I please order a Jabra Evolve2 65 headset? Cost centre 1250, Ruth Ellis has approved it.'];
    const apprentice: [string, string] = ['Headset order', 'Could I order another Jabra Evolve2 65, this time for our apprentice Liam Foster? Same cost centre 1250, Ruth has approved it.'];
    expect(merged(own, apprentice)).toBe(false);
    const drive: [string, string] = ['S: drive missing after password change', 'I changed my password this morning and since then my S: drive has gone, the S: drive to the shared folder shows a red X.'];
    const again: [string, string] = ['STILL no S: drive - call me', 'This is the second time I am writing today. My S: drive has been gone since I changed my password this morning.'];
    expect(merged(drive, again)).toBe(true);
  });

  it('leaves out per-occurrence GUIDs and the mobile client footer in any language', () => {
    const print = fingerprint('Power BI', 'Id. de actividad: 6c1f2a9e-53b7-4d0e-9a4c-2f8e7d31b0c4\nLa página se queda en blanco.\n\nLena\nOutlook für iOS<https://aka.ms/o0ukef> beziehen');
    expect(print).not.toContain('6c1f2a9e');
    expect(print).not.toContain('o0ukef');
  });
});
