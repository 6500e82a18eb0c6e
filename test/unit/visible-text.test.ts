import { describe, expect, it } from 'vitest';
import { extractVisibleText, isMobileSignature } from '../../src/mail/visible-text.js';

/** Bodies are written as line arrays so trailing spaces and blank lines are visible. */
const mail = (...lines: string[]) => lines.join('\n');

describe('extractVisibleText — Outlook desktop', () => {
  it('cuts at -----Original Message-----', () => {
    const body = mail(
      'Hi team,',
      '',
      'The printer on floor 3 is jammed again. Can someone come by?',
      '',
      'Thanks,',
      'Anna',
      '',
      '-----Original Message-----',
      'From: IT Support <support@example.com>',
      'Sent: Monday, January 5, 2026 10:01 AM',
      'To: Anna Schmidt <anna@example.com>',
      'Subject: RE: [TKT-123] Printer',
      '',
      'Hi Anna, please try turning it off and on again.',
    );
    const visible = extractVisibleText(body);
    expect(visible.text).toBe(
      mail('Hi team,', '', 'The printer on floor 3 is jammed again. Can someone come by?', '', 'Thanks,', 'Anna'),
    );
    expect(visible.quoted).toBe(true);
    expect(visible.signatureRemoved).toBe(false);
    expect(visible.reason).toContain("removed '-----Original Message-----'");
  });

  it('cuts at a From/Sent/To/Subject block without a separator line', () => {
    const body = mail(
      'Yes, that fixed it.',
      '',
      'From: IT Support [mailto:support@example.com]',
      'Sent: Friday, 23 March 2026 5:08 p.m.',
      'To: Bob Jones',
      'Subject: [TKT-9] VPN drops',
      '',
      'Please reinstall the VPN client.',
    );
    const visible = extractVisibleText(body);
    expect(visible.text).toBe('Yes, that fixed it.');
    expect(visible.reason).toContain("Outlook header block 'From: … Sent: …'");
  });

  it('cuts at a German header block under an underscore line and drops the contact card under the sign-off', () => {
    const body = mail(
      'Danke, funktioniert wieder.',
      '',
      'Viele Grüße',
      'Anna Schmidt',
      'IT-Koordination',
      'Muster GmbH | Tel. +49 30 1234567',
      '',
      '________________________________',
      'Von: IT Support <support@example.com>',
      'Gesendet: Montag, 5. Januar 2026 10:01',
      'An: Anna Schmidt <anna@example.com>',
      'Betreff: AW: [TKT-123] Drucker',
      '',
      'Hallo Frau Schmidt, bitte starten Sie den Drucker neu.',
    );
    const visible = extractVisibleText(body);
    expect(visible.text).toBe(mail('Danke, funktioniert wieder.', '', 'Viele Grüße', 'Anna Schmidt'));
    expect(visible.quoted).toBe(true);
    expect(visible.signatureRemoved).toBe(true);
    expect(visible.reason).toContain("Outlook header block 'Von: … Gesendet: …'");
    expect(visible.reason).toContain("contact card under the sign-off 'Viele Grüße' (2 lines)");
  });

  it('cuts at a French header block (De / Envoyé / À / Objet)', () => {
    const body = mail(
      "Bonjour, l'imprimante ne marche toujours pas.",
      '',
      'De : Support IT <support@example.com>',
      'Envoyé : lundi 5 janvier 2026 10:01',
      'À : Marie Dupont <marie@example.fr>',
      'Objet : RE: [TKT-77] Imprimante',
      '',
      'Bonjour Marie, pouvez-vous redémarrer ?',
    );
    expect(extractVisibleText(body).text).toBe("Bonjour, l'imprimante ne marche toujours pas.");
  });
});

describe('extractVisibleText — other header blocks', () => {
  it.each([
    ['----- Reply message -----', 'From: "IT Support" <support@example.com>', 'To: "Sam" <sam@example.com>', 'Date: Mon, Jan 5, 2026 10:01'],
    ['-----Antwort Nachricht-----', 'Von: "IT Support" <support@example.com>', 'An: "Sam" <sam@example.com>', 'Datum: Mo., 05.01.2026 10:01'],
  ])('cuts at "%s" (Android mail apps) and keeps the sign-off above it', (separator, ...block) => {
    const body = mail('It charges now.', '', 'Thanks,', 'Sam', '', separator, ...block, '', 'Please try the other cable.');
    const visible = extractVisibleText(body);
    expect(visible.text).toBe(mail('It charges now.', '', 'Thanks,', 'Sam'));
    expect(visible.reason).toContain(`removed '${separator}'`);
  });

  it.each([
    ['From:/Date:', 'From: IT Support <support@example.com>', 'Date: Monday, 5 January 2026 at 10:01'],
    ['Date:/To:', 'Date: Mon, 5 Jan 2026 10:01:41 +0100', 'To: Sam <sam@example.com>'],
  ])('cuts at a two-line %s header', (_kind, first, second) => {
    const body = mail('It is the printer in room 301.', '', first, second, '', 'Which printer is it?');
    const visible = extractVisibleText(body);
    expect(visible.text).toBe('It is the printer in room 301.');
    expect(visible.reason).toMatch(/^removed Outlook header block '(From|Date): … (Date|To): …' and 2 lines of history$/);
  });

  it('keeps two field-like lines that are no header: no address, or no date', () => {
    const noAddress = mail('Team lunch', '', 'Date: Friday, 9 January 2026 at 12:30', 'To: everyone on floor 3', '', 'See you there.');
    const noDate = mail('Leave request', '', 'From: sam@example.com', 'Date: next week', '', 'Please approve.');
    expect(extractVisibleText(noAddress).text).toBe(noAddress);
    expect(extractVisibleText(noDate).text).toBe(noDate);
  });

  it('cuts at a header block an HTML body flattened to one line', () => {
    const body = mail(
      'It is the printer in room 301.',
      '',
      'From: IT Support <support@example.com> Date: Monday, 5 January 2026 at 10:01 To: Sam <sam@example.com> Subject: RE: Printer',
      '',
      'Which printer is it?',
    );
    const visible = extractVisibleText(body);
    expect(visible.text).toBe('It is the printer in room 301.');
    expect(visible.reason).toContain("removed Outlook header block 'From: … Date: …'");
  });

  it('keeps a line that starts with "From:" and names only one more field', () => {
    const body = mail('Please forward this:', '', 'From: the finance team, to: all cost centre owners', '', 'Budgets are due on Friday.');
    expect(extractVisibleText(body).text).toBe(body);
  });
});

describe('extractVisibleText — Outlook web and mobile', () => {
  it('cuts at the bold header block Outlook on the web writes', () => {
    const body = mail(
      'Done, the laptop is back on my desk.',
      '',
      '',
      ' ------------------------------',
      '',
      '*From:* IT Support <support@example.com>',
      '*Sent:* Thursday, February 9, 2026 1:36 PM',
      '*To:* carl@example.com',
      '*Subject:* [TKT-5] Laptop pickup',
      '',
      'Your laptop is ready for pickup.',
    );
    expect(extractVisibleText(body).text).toBe('Done, the laptop is back on my desk.');
  });

  it('removes "Get Outlook for iOS" and the history below it', () => {
    const body = mail(
      'Still broken after the update.',
      '',
      'Get Outlook for iOS<https://aka.ms/o0ukef>',
      '________________________________',
      'From: IT Support <support@example.com>',
      'Sent: Thursday, September 26, 2026 11:35:12 AM',
      'To: Dana <dana@example.com>',
      'Subject: [TKT-31] Update',
      '',
      'Please install the update tonight.',
    );
    const visible = extractVisibleText(body);
    expect(visible.text).toBe('Still broken after the update.');
    expect(visible.signatureRemoved).toBe(true);
    expect(visible.reason).toContain("removed 'Get Outlook for iOS<https://aka.ms/o0ukef>'");
  });

  it('removes "Get Outlook for Android"', () => {
    const body = mail('Can you call me back?', '', 'Get Outlook for Android<https://aka.ms/ghei36>');
    expect(extractVisibleText(body).text).toBe('Can you call me back?');
  });
});

describe('extractVisibleText — Gmail, Apple Mail, Thunderbird', () => {
  it('removes a Gmail quote header and its quoted lines', () => {
    const body = mail(
      'It happens on both monitors.',
      '',
      'On Mon, Jan 5, 2026 at 10:01 AM IT Support <support@example.com> wrote:',
      '',
      '> Hi Erik,',
      '>',
      '> Does the flicker happen on both monitors?',
      '>',
      '> IT Support',
    );
    const visible = extractVisibleText(body);
    expect(visible.text).toBe('It happens on both monitors.');
    expect(visible.quoted).toBe(true);
    expect(visible.reason).toBe("removed Gmail quote header 'On … wrote:' and 5 quoted lines");
  });

  it('removes a Gmail quote header wrapped over two lines', () => {
    const body = mail(
      'Yes, after lunch works.',
      '',
      'On Mon, Jan 5, 2026 at 10:01 AM IT Support Team <',
      'support@example.com> wrote:',
      '',
      '> Can we come by after lunch?',
    );
    expect(extractVisibleText(body).text).toBe('Yes, after lunch works.');
  });

  it('removes an Apple Mail quote header and "Sent from my iPhone"', () => {
    const body = mail(
      'The badge reader at the back door is dead.',
      '',
      'Sent from my iPhone',
      '',
      'On 5 Jan 2026, at 10:01, IT Support <support@example.com> wrote:',
      '',
      '> Which door?',
    );
    const visible = extractVisibleText(body);
    expect(visible.text).toBe('The badge reader at the back door is dead.');
    expect(visible.signatureRemoved).toBe(true);
    expect(visible.reason).toContain("removed 'Sent from my iPhone'");
  });

  it('removes a Thunderbird quote header', () => {
    const body = mail(
      'Printer model is HP M404.',
      '',
      'On 05/01/2026 10:01, IT Support wrote:',
      '> Which printer model is it?',
    );
    const visible = extractVisibleText(body);
    expect(visible.text).toBe('Printer model is HP M404.');
    expect(visible.reason).toContain("Thunderbird quote header 'On … wrote:'");
  });

  it('cuts at a header followed by unmarked history', () => {
    const body = mail('This is my reply.', '', 'On Nov 26, 2025 you wrote:', '', 'This is the original message.');
    expect(extractVisibleText(body).text).toBe('This is my reply.');
  });

  it.each([
    ['German', 'Am 05.01.2026 um 10:01 schrieb IT Support <support@example.com>:'],
    ['French', 'Le lun. 5 janv. 2026 à 10:01, IT Support <support@example.com> a écrit :'],
    ['Spanish', 'El 5/1/2026 a las 10:01, IT Support <support@example.com> escribió:'],
    ['Portuguese', 'Em 5 de jan. de 2026 às 10:01, IT Support <support@example.com> escreveu:'],
    ['Dutch', 'Op 5 jan. 2026 om 10:01 schreef IT Support <support@example.com>:'],
    ['Swedish', 'Den 5 jan. 2026 kl. 10:01 skrev IT Support <support@example.com>:'],
    ['Danish', 'Den 5. jan. 2026 kl. 10.01 skrev IT Support <support@example.com>:'],
    ['Finnish', 'ma 5. tammik. 2026 klo 10.01 IT Support <support@example.com> kirjoitti:'],
    ['Italian', 'Il giorno lun 5 gen 2026 alle ore 10:01 IT Support <support@example.com> ha scritto:'],
  ])('removes a %s quote header', (_language, header) => {
    const body = mail('Merci / Danke / Gracias.', '', header, '', '> Earlier message from us.');
    expect(extractVisibleText(body).text).toBe('Merci / Danke / Gracias.');
  });
});

describe('extractVisibleText — more reply headers', () => {
  it.each([
    ['on the header line', ['Works now, thanks! On Mon, Jan 5, 2026 at 10:01 AM IT Support <support@example.com> wrote:', '> Please restart it.']],
    ['joined by dashes', ['Works now, thanks!--- On Mon, Jan 5, 2026 at 10:01 AM, support@example.com wrote:', '> Please restart it.']],
    ['with the header wrapped', ['Works now, thanks! On Mon, Jan 5, 2026 at 10:01 AM IT Support <', 'support@example.com> wrote:', '> Please restart it.']],
  ])('splits the reply from a header typed after it, %s', (_how, lines) => {
    const visible = extractVisibleText(mail(...lines));
    expect(visible.text).toBe('Works now, thanks!');
    expect(visible.quoted).toBe(true);
  });

  it('removes a header ending "<address> sent:", and keeps "sent:" in a sentence', () => {
    const visible = extractVisibleText(mail('Same error.', '', 'On Mon, Jan 5, 2026 at 10:01 AM, IT Support <support@example.com> sent:', '> Did you restart?'));
    expect(visible.text).toBe('Same error.');
    expect(visible.reason).toContain("quote header 'On … sent:'");
    const sentence = mail('Yesterday at 10:30 the vendor sent:', '> the new licence key', '', 'Is it valid?');
    expect(extractVisibleText(sentence).text).toBe(sentence);
  });

  it.each([
    ['---- IT Support wrote ----'],
    ['------On 05/01/2026 10:01, IT Support wrote-----'],
  ])('cuts at a dash-framed header "%s" above unquoted history', (header) => {
    const visible = extractVisibleText(mail('Done, it shows 6.2.1 now.', '', header, '', 'Could you check the version?', '', 'IT Support'));
    expect(visible.text).toBe('Done, it shows 6.2.1 now.');
    expect(visible.quoted).toBe(true);
  });

  it.each([
    ['Vietnamese (Gmail)', 'Vào Th 2, 5 thg 1, 2026 vào lúc 10:01 IT Support <support@example.com> đã viết:'],
    ['Russian (Thunderbird)', '05.01.2026 10:01, IT Support пишет:'],
    ['Japanese (Thunderbird)', '2026/01/05 10:01 に IT Support さんは書きました:'],
    ['Japanese, date after the name', 'IT Support さんは 2026/01/05 10:01 に書きました:'],
  ])('removes a %s quote header', (_language, header) => {
    const body = mail('Cảm ơn / Спасибо / ありがとうございました。', '', header, '> Earlier message from us.');
    const visible = extractVisibleText(body);
    expect(visible.text).toBe('Cảm ơn / Спасибо / ありがとうございました。');
    expect(visible.quoted).toBe(true);
  });

  it('removes a Vietnamese header Gmail wrapped after the address, with the quote below it', () => {
    const body = mail('Đã in được rồi.', '', 'Vào Th 2, 5 thg 1, 2026 vào lúc 10:01 IT Support <support@example.com>', 'đã viết:', '', '> Bạn thử lại nhé.');
    const visible = extractVisibleText(body);
    expect(visible.text).toBe('Đã in được rồi.');
    expect(visible.reason).toBe("removed quote header 'Vào … đã viết:' and 1 quoted line");
  });
});

describe('extractVisibleText — forwards', () => {
  it('keeps a Gmail forward: the forwarded message is what the user wants us to read', () => {
    const body = mail(
      'FYI, this phishing mail reached the whole sales team.',
      '',
      '---------- Forwarded message ---------',
      'From: Bank Security <security@examp1e-bank.com>',
      'Date: Mon, Jan 5, 2026 at 9:12 AM',
      'Subject: Verify your account',
      'To: <sales@example.com>',
      '',
      'Click here to verify your account within 24 hours.',
    );
    const visible = extractVisibleText(body);
    expect(visible.text).toContain('Click here to verify your account within 24 hours.');
    expect(visible.text).toContain('From: Bank Security');
    expect(visible.quoted).toBe(false);
    expect(visible.reason).toContain('kept the forwarded message');
  });

  it('keeps a Thunderbird forward', () => {
    const body = mail(
      'See below, the license expired.',
      '',
      '-------- Forwarded Message --------',
      'Subject: License expired',
      'Date: Mon, 5 Jan 2026 09:12:00 +0100',
      'From: Vendor <noreply@vendor.example>',
      'To: admin@example.com',
      '',
      'Your license for product X expired on 2026-01-01.',
    );
    expect(extractVisibleText(body).text).toContain('Your license for product X expired on 2026-01-01.');
  });

  it('keeps an Apple Mail forward whose forwarded part is quoted', () => {
    const body = mail(
      'Is this legit?',
      '',
      '> Begin forwarded message:',
      '>',
      '> From: Payroll <payroll@example.net>',
      '> Subject: Update your bank details',
      '>',
      '> Please update your bank details today.',
    );
    expect(extractVisibleText(body).text).toContain('> Please update your bank details today.');
  });

  it('treats "-------- Original Message --------" as history in a reply, as a forward when the subject says so', () => {
    const body = mail(
      'Please check the attached error.',
      '',
      '-------- Original Message --------',
      'Subject: Backup failed',
      'From: backup@example.com',
      '',
      'Job nightly-01 failed with code 5.',
    );
    expect(extractVisibleText(body).text).toBe('Please check the attached error.');
    expect(extractVisibleText(body, { subject: 'Fwd: Backup failed' }).text).toContain('Job nightly-01 failed with code 5.');
  });

  it('keeps an Outlook forward (same layout as a reply) when the subject starts with FW:', () => {
    const body = mail(
      'Forwarding the vendor reply.',
      '',
      '________________________________',
      'From: Vendor Support <help@vendor.example>',
      'Sent: Monday, January 5, 2026 9:12 AM',
      'To: Anna <anna@example.com>',
      'Subject: Case 4411',
      '',
      'The fix ships in version 4.2.',
    );
    expect(extractVisibleText(body).text).toBe('Forwarding the vendor reply.');
    expect(extractVisibleText(body, { subject: 'FW: Case 4411' }).text).toContain('The fix ships in version 4.2.');
  });
});

describe('extractVisibleText — quoted blocks', () => {
  it('removes a >-quoted block at the bottom', () => {
    const body = mail('Works now, thanks.', '', '> Please restart the laptop.', '> IT Support');
    expect(extractVisibleText(body).text).toBe('Works now, thanks.');
  });

  it('keeps a quote that is answered below it (context for the answer)', () => {
    const body = mail('> Which floor are you on?', '', 'Third floor, room 301.');
    expect(extractVisibleText(body).text).toBe(mail('> Which floor are you on?', '', 'Third floor, room 301.'));
  });

  it('keeps the questions of an inline reply, drops the header and the trailing quote', () => {
    const body = mail(
      'On Mon, Jan 5, 2026 at 10:01 AM IT Support <support@example.com> wrote:',
      '> Which OS are you on?',
      '',
      'Windows 11.',
      '',
      '> Did you restart?',
      '',
      'Yes, twice.',
      '',
      '> IT Support',
      '> support@example.com',
    );
    expect(extractVisibleText(body).text).toBe(
      mail('> Which OS are you on?', '', 'Windows 11.', '', '> Did you restart?', '', 'Yes, twice.'),
    );
  });

  it('removes the automatic quote of a bottom-posted reply and keeps the answer below it', () => {
    const body = mail(
      'Hi,',
      'On Mon, Jan 5, 2026 at 10:01 AM IT Support <support@example.com> wrote:',
      '> Can you send the error message?',
      '',
      'The error is 0x80070005.',
    );
    expect(extractVisibleText(body).text).toBe(mail('Hi,', 'The error is 0x80070005.'));
  });
});

describe('extractVisibleText — quoted links wrapped without their marker', () => {
  it('takes the rest of a link left open on the quoted line above into the quote', () => {
    const body = mail(
      'The link works.',
      '',
      'On Mon, Jan 5, 2026 at 10:01 AM IT Support <support@example.com> wrote:',
      '> Follow your request at <https://support.example.com/s/',
      'TKT-9.f3a91c07d5e2b84c6a10e97d3b52c8f1>',
      '> or answer this mail.',
    );
    expect(extractVisibleText(body).text).toBe('The link works.');
  });

  it('takes a whole link wrapped from a long quoted line into the quote', () => {
    const body = mail(
      'The link works.',
      '',
      'On Mon, Jan 5, 2026 at 10:01 AM IT Support <support@example.com> wrote:',
      '> We have received your request and will answer today. You can follow it at',
      '(https://support.example.com/s/TKT-9.f3a91c07d5e2b84c6a10e97d3b52c8f1)',
      '> or answer this mail.',
    );
    expect(extractVisibleText(body).text).toBe('The link works.');
  });

  it('keeps a link given as an answer between quoted lines, and a word after a quoted link', () => {
    const answer = mail('> Where is the form?', '<https://forms.example.com/leave>', '> And the deadline?', 'Friday.');
    expect(extractVisibleText(answer).text).toBe(answer);
    const after = mail('> Please check https://status.example.com', 'Done!');
    expect(extractVisibleText(after).text).toBe(after);
  });
});

describe('extractVisibleText — signatures', () => {
  it.each([
    'Sent from my iPhone',
    'Sent from my Galaxy',
    'Sent from Yahoo Mail for Android',
    'Get Outlook for Android',
    'Sent from my BlackBerry',
    'Sent from my Verizon Wireless BlackBerry',
    'Sent from Mail for Windows',
    'Envoyé de mon iPhone',
    'Von meinem iPhone gesendet',
    'Enviado desde mi iPhone',
  ])('removes "%s"', (signature) => {
    const visible = extractVisibleText(mail('The VPN keeps dropping.', '', signature));
    expect(visible.text).toBe('The VPN keeps dropping.');
    expect(visible.signatureRemoved).toBe(true);
  });

  it.each([
    'Get [Outlook for Android](https://aka.ms/ghei36)',
    'iPhoneから[送信](https://example.com)', // its only word comes out of a Markdown link
    'Sent   from\tmy  iPhone',
    'Sent <https://example.com/a> from my phone',
    '<<Sent by Galaxy>>',
    'Sent from my Samsung Galaxy smartphone, an AT&T 5G smartphone.',
    'Sent from Yahoo Mail on Android, please excuse typos',
  ])('recognises "%s" whatever decorates it', (line) => {
    expect(isMobileSignature(line)).toBe(true);
  });

  it('keeps sentences that merely start like a mobile signature', () => {
    expect(isMobileSignature('Sent from my desk, is much easier than my mobile phone.')).toBe(false);
    expect(isMobileSignature('The report was sent from my iPhone app to all users.')).toBe(false);
    expect(isMobileSignature('Sent: Monday, January 5, 2026')).toBe(false);
  });

  it('removes the "-- " signature', () => {
    const body = mail('Please reset my password.', '', '-- ', 'Erik Larsen', 'Finance, ext. 4411');
    const visible = extractVisibleText(body);
    expect(visible.text).toBe('Please reset my password.');
    expect(visible.reason).toBe("removed signature after '-- ' (2 lines)");
  });

  it('does not take "--" inside a line or a code block for a signature', () => {
    const body = mail('Run this -- it resets the cache:', '', '```', '--', 'rm -rf ~/.cache/app', '```', '', 'Then restart.');
    expect(extractVisibleText(body).text).toBe(body);
  });

  it('keeps a ">" prompt inside a code block', () => {
    const body = mail('The service will not start:', '', '```', '> Start-Service spooler', 'Start-Service : failed', '```');
    expect(extractVisibleText(body).text).toBe(body);
  });

  it('keeps a sign-off and name, and removes the contact card under them', () => {
    const body = mail(
      'I still cannot log in to the HR portal.',
      '',
      'Kind regards,',
      '',
      'Maria Garcia',
      'Head of Accounts',
      'Acme Corp | +1 555 0100',
    );
    const visible = extractVisibleText(body);
    expect(visible.text).toBe(mail('I still cannot log in to the HR portal.', '', 'Kind regards,', '', 'Maria Garcia'));
    expect(visible.signatureRemoved).toBe(true);
  });

  it('keeps a bare sign-off with a rule under it ("----", an HTML <hr>), and still removes a card above one (not the name)', () => {
    const bare = mail('Works again.', '', 'Thanks,', 'Maria', '----------------------------------------', 'From: IT Support <support@example.com>', 'Sent: Monday, 5 January 2026 10:01', 'To: Maria', 'Subject: Toner');
    expect(extractVisibleText(bare).text).toBe(mail('Works again.', '', 'Thanks,', 'Maria'));
    const card = mail('Works again.', '', 'Kind regards,', 'Maria Garcia', 'Head of Accounts', '----');
    expect(extractVisibleText(card).text).toBe(mail('Works again.', '', 'Kind regards,', 'Maria Garcia'));
  });

  it('removes a card under "Thanks, Maria" on one line, and a card with no sign-off above it (the name stays)', () => {
    const oneLine = mail('The new password works.', '', 'Thanks, Maria', 'Maria Lopez | Payroll | Lucerne Publishing | +1 555 0100 4545');
    expect(extractVisibleText(oneLine).text).toBe(mail('The new password works.', '', 'Thanks, Maria'));
    const unsigned = mail('The portal still logs me out every 5 minutes.', 'Paul Harris', 'Senior Accountant', 'Tailwind Traders Ltd', 'Direct: +44 113 555 0170');
    expect(extractVisibleText(unsigned).text).toBe(mail('The portal still logs me out every 5 minutes.', 'Paul Harris'));
    // "Best regards" is a sign-off, not a sign-off and a name.
    const bare = mail('Pictures attached.', '', 'Best regards', '', 'Some One');
    expect(extractVisibleText(bare).text).toBe(bare);
  });

  it('takes a family name with "de" or "van der" for a name above a card, and cuts at a Finnish Gmail header', () => {
    const dutch = mail('Ik krijg nog steeds geen meldingen.', '', 'Met vriendelijke groet,', '', 'Sanne de Vries', 'Office Manager', 'Van Dijk B.V. | Postbus 123 | Utrecht');
    expect(extractVisibleText(dutch).text).toBe(mail('Ik krijg nog steeds geen meldingen.', '', 'Met vriendelijke groet,', '', 'Sanne de Vries'));
    const finnish = mail('En saa vieläkään sähköposteja.', '', 'T. Mikko', '', 'Alex Kim (alex.kim@northwind.example) kirjoitti to 26.11.2026 klo 12.30:', '', '> Hei Mikko,', '> toimiiko nyt?');
    expect(extractVisibleText(finnish).text).toBe(mail('En saa vieläkään sähköposteja.', '', 'T. Mikko'));
  });

  it('keeps an address the writer gives, and short lines without a way to reach anyone', () => {
    const address = mail('Please send the laptop to:', 'Maria Garcia', 'Northwind GmbH', 'Hauptstraße 5, 20095 Hamburg', '+49 40 1234567');
    expect(extractVisibleText(address).text).toBe(address);
    const list = mail('We need these installed:', '', 'Visio', 'Project 2021', 'Acrobat Pro');
    expect(extractVisibleText(list).text).toBe(list);
  });

  it('keeps a bare sign-off with a name, and sign-off words that carry content', () => {
    expect(extractVisibleText(mail('Got it.', '', 'Thanks,', 'Anna')).text).toBe(mail('Got it.', '', 'Thanks,', 'Anna'));
    expect(extractVisibleText("Thanks, I'll try that").text).toBe("Thanks, I'll try that");
    const content = mail('Thanks!', '', 'The printer is on floor 3', 'Room 301');
    expect(extractVisibleText(content).text).toBe(content);
  });
});

describe('extractVisibleText — the words of reply-blind-5 (inline answers, longer sign-offs, company cards)', () => {
  it('keeps of our quoted mail only the questions answered inline: not our greeting, lead-in or sign-off', () => {
    const body = mail(
      'Hoi Alex,', '', 'Antwoorden staan hieronder.', '', 'Groet,', 'Sanne', '',
      'Op 3 dec. 2026, om 10:20 heeft Alex Kim <alex.kim@northwind.example> het volgende geschreven:', '',
      '> Hoi Sanne,', '>', '> Een paar vragen:', '>', '> - Wil je je oude nummer houden?', 'Ja, graag.',
      '> - Moet WhatsApp erop?', 'Nee.', '>', '> Groet,', '> Alex Kim', 'Groet,', 'Sanne',
    );
    expect(extractVisibleText(body).text).toBe(
      mail('Hoi Alex,', '', 'Antwoorden staan hieronder.', '', 'Groet,', 'Sanne', '', '> - Wil je je oude nummer houden?', 'Ja, graag.', '> - Moet WhatsApp erop?', 'Nee.', 'Groet,', 'Sanne'),
    );
  });

  it('takes "Thanks for the quick fix," and "Üdvözlettel:" for sign-offs, and "Title | Company Ltd." for a card line', () => {
    const card = mail('Hi Alex,', '', 'Connected from home now.', '', 'Thanks for the quick fix,', 'Dana', '', 'Dana Whitfield', 'Senior Accountant | Brightwater Foods Inc.', 'O: (415) 555-0143');
    expect(extractVisibleText(card).text).toBe(mail('Hi Alex,', '', 'Connected from home now.', '', 'Thanks for the quick fix,', 'Dana'));
    const hungarian = mail('Kedves Priya!', '', 'A mikrofon is működik.', '', 'Üdvözlettel:', 'Nagy Péter', 'értékesítési vezető', 'Tel.: +36 1 555 0173');
    expect(extractVisibleText(hungarian).text).toBe(mail('Kedves Priya!', '', 'A mikrofon is működik.', '', 'Üdvözlettel:', 'Nagy Péter'));
    const company = mail('Hi Alex,', '', 'Still the same error.', '', 'Regards,', 'Arjun Sharma', 'IT Coordinator, Pune Plant | Kaveri Motors Ltd.', '+91 20 5555 0138');
    expect(extractVisibleText(company).text).toBe(mail('Hi Alex,', '', 'Still the same error.', '', 'Regards,', 'Arjun Sharma'));
  });
});

describe('extractVisibleText — the words of reply-blind-6 (pronouns, a note before the card, Apple forwards in Dutch)', () => {
  it('takes a name with pronouns for the name above a card', () => {
    const body = mail('Hi Alex,', '', 'The old laptop is at reception.', '', 'All the best,', 'Sam Okafor (they/them)', 'Operations Analyst', 'Brightwater Foods Ltd');
    expect(extractVisibleText(body).text).toBe(mail('Hi Alex,', '', 'The old laptop is at reception.', '', 'All the best,', 'Sam Okafor (they/them)'));
  });

  it('drops a card, with the name it repeats, under a note written after the signed name', () => {
    const body = mail('Hoi Alex,', '', 'De telefoon werkt.', '', 'Groet,', 'Bas', '', 'Ik ben vrijdag 11 december afwezig. Bel voor de voicemail gerust mijn collega Joris.', '', 'Bas Jansen', 'Werkvoorbereider', 'Van Dijk Installatietechniek B.V.', 'T 030 760 4431');
    expect(extractVisibleText(body).text).toBe(mail('Hoi Alex,', '', 'De telefoon werkt.', '', 'Groet,', 'Bas', '', 'Ik ben vrijdag 11 december afwezig. Bel voor de voicemail gerust mijn collega Joris.'));
  });

  it('keeps an iPhone forward under "Begin doorgestuurd bericht:"', () => {
    const body = mail('Is dit echt van jullie?', '', 'Verstuurd vanaf mijn iPhone', '', 'Begin doorgestuurd bericht:', '', '> Van: Microsoft 365 <no-reply@m365-security.example>', '> Onderwerp: Uw wachtwoord verloopt vandaag', '>', '> Klik op de link.');
    expect(extractVisibleText(body).text).toContain('> Klik op de link.');
  });
});

describe('extractVisibleText — the words of reply-blind-7 (GroupWise, excuses for typos, greetings from a town, a P.S. under the card)', () => {
  it("cuts at GroupWise's header, arrows and all", () => {
    const body = mail('Danke für die Info.', '', 'Mit freundlichen Grüßen', '', 'Ing. Wolfgang Huber', '', '>>> Priya Nair <priya.nair@northwind.example> 15.12.2026 14:31 >>>', 'Sehr geehrter Herr Huber,', 'am Freitag stellen wir um.');
    expect(extractVisibleText(body).text).toBe(mail('Danke für die Info.', '', 'Mit freundlichen Grüßen', '', 'Ing. Wolfgang Huber'));
  });

  it('drops a mobile line that asks to excuse typos, in German and Spanish', () => {
    const de = mail('Ja, ich komme wieder rein. Danke!', '', 'Gruß', 'Thomas', '', 'Von unterwegs gesendet – bitte entschuldigen Sie Tippfehler.');
    expect(extractVisibleText(de).text).toBe(mail('Ja, ich komme wieder rein. Danke!', '', 'Gruß', 'Thomas'));
    const es = mail('Vale, lo dejo encendido.', '', 'Raúl', '', 'Enviado desde mi móvil. Disculpa la brevedad y las erratas.');
    expect(extractVisibleText(es).text).toBe(mail('Vale, lo dejo encendido.', '', 'Raúl'));
  });

  it("drops a confidentiality notice between the name and the card, and the forwarder's card above a forward", () => {
    const notice = mail('Le poste redémarre en boucle.', '', 'Cordialement,', 'Élodie Martin', '', "Ce message et toutes les pièces jointes sont confidentiels et établis à l'intention exclusive de ses destinataires.", '', 'Assistante de direction', 'Atelier Lumière SAS', 'Tél. : 01 84 88 12 00');
    expect(extractVisibleText(notice).text).toBe(mail('Le poste redémarre en boucle.', '', 'Cordialement,', 'Élodie Martin'));
    const forward = mail('Voir ci-dessous la réponse du fournisseur.', '', 'Bien à vous,', 'Nathalie', '', 'Nathalie Dubois', 'Office Manager | Brabant Conseil SRL', '+32 2 555 40 12', '', '---------- Message transféré ---------', 'De : Licences Pro <ventes@licencespro.example>', '', 'Madame Dubois, voici le devis.');
    expect(extractVisibleText(forward).text).toBe(mail('Voir ci-dessous la réponse du fournisseur.', '', 'Bien à vous,', 'Nathalie', '', '---------- Message transféré ---------', 'De : Licences Pro <ventes@licencespro.example>', '', 'Madame Dubois, voici le devis.'));
  });

  it('keeps a P.S. under the card, takes "Viele Grüße aus Leipzig" for a sign-off, and drops a card repeating a hand-signed name', () => {
    const ps = mail('Die Tastaturen sind angekommen.', '', 'Viele Grüße aus Leipzig', 'Stefanie Krüger', '', 'Stefanie Krüger', 'Filialleitung', 'Tel. 0341 555 2290', '', 'PS: Können Sie uns noch zwei Mäuse schicken?');
    expect(extractVisibleText(ps).text).toBe(mail('Die Tastaturen sind angekommen.', '', 'Viele Grüße aus Leipzig', 'Stefanie Krüger', '', 'PS: Können Sie uns noch zwei Mäuse schicken?'));
    const dan = mail('Thanks Priya, I will leave the laptop on reception.', '', 'Dan', '', 'Dan Hughes', 'Operations Lead', 'Marlow Freight', 'M: 07700 900 123');
    expect(extractVisibleText(dan).text).toBe(mail('Thanks Priya, I will leave the laptop on reception.', '', 'Dan'));
  });
});

describe('extractVisibleText — text we sent earlier', () => {
  const prior = mail(
    'Hi Anna,',
    '',
    'Please restart the printer and tell us whether the error light is still on.',
    'If it is, we will send a technician.',
    '',
    'Regards,',
    'IT Support',
  );

  it('removes our earlier mail pasted back without quote markers', () => {
    const body = mail(
      'The light is still on.',
      '',
      'Hi Anna,',
      '',
      'Please restart the printer and tell us whether the error light is still',
      'on. If it is, we will send a technician.',
      '',
      'Regards,',
      'IT Support',
    );
    const visible = extractVisibleText(body, { priorTexts: [prior] });
    expect(visible.text).toBe('The light is still on.');
    expect(visible.quoted).toBe(true);
    expect(visible.reason).toContain('repeating text we sent earlier');
  });

  it('matches through > markers and different wrapping', () => {
    const body = mail('Restarted, still red.', '', '> please restart the printer and tell us whether the', '> error light is still on.');
    expect(extractVisibleText(body, { priorTexts: [prior] }).text).toBe('Restarted, still red.');
  });

  it('keeps own sentences that reuse a few of our words', () => {
    const body = 'I did restart the printer and the error light is still on, now blinking.';
    expect(extractVisibleText(body, { priorTexts: [prior] }).text).toBe(body);
  });
});

describe('extractVisibleText — fallbacks and formatting', () => {
  it('returns the original body when everything looks quoted, and says so', () => {
    const body = mail('> Only a quote.', '> Nothing else.');
    const visible = extractVisibleText(body);
    expect(visible.text).toBe(body);
    expect(visible.quoted).toBe(false);
    expect(visible.reason).toMatch(/everything looked quoted.*returned the original body/);
  });

  it('never returns empty text for a body that only repeats our earlier mail', () => {
    const body = 'Please restart the printer and tell us whether the error light is still on.';
    expect(extractVisibleText(body, { priorTexts: [body] }).text).toBe(body);
  });

  it('normalises CRLF, trims the text and the ends of lines, keeps inner line breaks', () => {
    const body = '\r\n\r\n  Line one   \r\n\r\nLine two\t\r\n\r\n';
    expect(extractVisibleText(body).text).toBe('Line one\n\nLine two');
  });

  it('returns empty text and says so for an empty body', () => {
    expect(extractVisibleText('  \n ')).toEqual({ text: '', quoted: false, signatureRemoved: false, reason: 'empty body' });
  });

  it('does not take ordinary lines for quote headers', () => {
    const body = mail(
      'On Monday I wrote to the vendor about this.',
      'In ticket 1234 I wrote:',
      'the server needs more memory.',
      'On your laptop you can run:',
      '    ipconfig /flushdns',
    );
    expect(extractVisibleText(body).text).toBe(body);
  });

  // No clock here (CI is a loaded 2-core machine): a regex that backtracks on these takes
  // minutes and ends at the test's timeout; a linear one finishes in well under a second.
  it('stays linear on pathological input', () => {
    const huge = mail('Hi', '>'.repeat(1_000_000), 'a'.repeat(200_000) + ':', ...Array(20_000).fill('On 1 wrote x:'));
    expect(typeof extractVisibleText(huge, { priorTexts: ['On 1 wrote x: '.repeat(1000)] }).text).toBe('string');
  });

  it('does not backtrack on long runs of dashes, spaces or brackets (once took a minute)', () => {
    const lines = [
      ...Array(3000).fill('-'.repeat(299) + 'x'),
      ...Array(3000).fill('--' + ' '.repeat(290) + 'x--y'),
      ...Array(3000).fill('>' + ' '.repeat(290) + 'x:'),
      ...Array(3000).fill(('Sent from ' + '['.repeat(100) + '.'.repeat(90)).slice(0, 200)),
      ...Array(3000).fill('x' + ' -'.repeat(300) + ' ' + '-'.repeat(300) + ' On'),
      ...Array(3000).fill('> see <https://' + '('.repeat(500)),
    ];
    expect(typeof extractVisibleText(lines.join('\n')).text).toBe('string');
  });
});
