/**
 * CPU time of our per-mail logic against mailparser's simpleParser on the same bytes: a 2.3 KiB
 * reply and an 18 KiB multipart reply with quoted history. Medians of 5 samples of CPU time
 * (process.cpuUsage, user + system) per mail. Prints figures only, no thresholds.
 *
 *   node src/bin/run.mjs test/bench/logic-profile.ts [--samples 5] [--src DIR]
 *
 * "logic" is what the inbound path runs on a parsed mail. For a new ticket: machine-mail rules,
 * visible text, fingerprint and similarity against the requester's open tickets, triage and
 * missing details. For a reply: machine-mail rules, visible text without the text we sent,
 * thanks, still-missing details and escalation. Samples of each measure are interleaved, so a
 * busy machine slows them alike. `--src` points at another copy of src/ (an older checkout) to
 * compare the same figures. Under `node --cpu-prof` it shows where the time goes.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { simpleParser } from 'mailparser';
import { northwind } from '../support/message.js';

const { values: args } = parseArgs({ options: { samples: { type: 'string', default: '5' }, src: { type: 'string' } } });
const SAMPLES = Number(args.samples);
const src = pathToFileURL(`${resolve(args.src ?? fileURLToPath(new URL('../../src/', import.meta.url)))}/`);
const from = async <T>(path: string): Promise<T> => (await import(new URL(path, src).href)) as T;

const { parseConfig } = await from<typeof import('../../src/config.js')>('config.js');
const { parseMail } = await from<typeof import('../../src/mail/parse.js')>('mail/parse.js');
const { extractVisibleText } = await from<typeof import('../../src/mail/visible-text.js')>('mail/visible-text.js');
const { classifyMachineMail } = await from<typeof import('../../src/domain/machine-mail.js')>('domain/machine-mail.js');
const { fingerprint, similarity } = await from<typeof import('../../src/domain/similarity.js')>('domain/similarity.js');
const { escalate, triage } = await from<typeof import('../../src/domain/triage.js')>('domain/triage.js');
const { missingDetails, stillMissing } = await from<typeof import('../../src/domain/missing-info.js')>('domain/missing-info.js');
const { thanksVerdict } = await from<typeof import('../../src/domain/thanks.js')>('domain/thanks.js');

type InboundMessage = Awaited<ReturnType<typeof parseMail>>;

const config = parseConfig(JSON.parse(readFileSync(new URL('../../fixtures/northwind.config.json', import.meta.url), 'utf8')));
const ourAck = [
  'Hello Maria,',
  '',
  'We have received your request and opened ticket TKT-42 for it. Our IT team will look at it',
  'during office hours; you will hear from us when there is news. Reply to this mail to add',
  'anything, and keep [TKT-42] in the subject so your reply reaches the same ticket.',
  '',
  'Could you tell us where you are: the office and floor, or home?',
  '',
  'IT Support',
].join('\n');
const openTickets = [
  fingerprint('VPN keeps disconnecting', 'Since this morning the VPN drops every ten minutes and I have to sign in again.'),
  fingerprint('Printer on 2nd floor jams', 'The printer next to the kitchen jams on every second page, PRN-AMS-2F-03.'),
  fingerprint('Excel crashes with macros', 'Excel closes without an error as soon as I enable macros in the budget workbook.'),
];

const inputOf = (msg: InboundMessage, visible: string) => ({ subject: msg.subject, text: visible, sender: msg.from?.address ?? '', sentAt: msg.date ? new Date(msg.date) : new Date(0) });

/** What the inbound path decides from a mail that opens a ticket. */
function newTicketLogic(msg: InboundMessage): unknown {
  const machine = classifyMachineMail(msg, northwind);
  const visible = extractVisibleText(msg.text, { subject: msg.subject, priorTexts: [] }).text;
  const print = fingerprint(msg.subject, visible);
  const duplicates = openTickets.map((other) => similarity(print, other).score);
  const triaged = triage(inputOf(msg, visible), config.triage);
  return [machine, duplicates, triaged, missingDetails(triaged.category, [msg.subject, visible], config.missingInfo)];
}

/** What the inbound path decides from a requester's reply on a ticket. */
function replyLogic(msg: InboundMessage): unknown {
  const machine = classifyMachineMail(msg, northwind);
  const visible = extractVisibleText(msg.text, { subject: msg.subject, priorTexts: [ourAck] }).text;
  const still = stillMissing(['location', 'connection', 'asset'], visible, 'network', config.missingInfo);
  return [machine, thanksVerdict(visible), still, escalate('P3', inputOf(msg, visible), config.triage)];
}

// ---------------------------------------------------------------------------------------------
// The mails

/** A reply to our ack as it arrives: its headers, then `lines`, with CRLF line ends. */
const reply = (subject: string, contentType: string, lines: string[]) => Buffer.from(`${[...replyHeaders(subject, contentType), ...lines].join('\r\n')}\r\n`);
const replyHeaders = (subject: string, contentType: string) => [
  'Received: from mail-ej1-f41.mx.northwind.example (mail-ej1-f41.mx.northwind.example [209.85.218.41])',
  '\tby inbound-smtp.eu-west-1.amazonaws.com with SMTP id 4b2k9tq1h6m0v3c8e5n7;',
  '\tMon, 23 Nov 2026 08:41:09 +0000 (UTC)',
  'Authentication-Results: amazonses.com; spf=pass (spf=pass) smtp.mailfrom=northwind.example;',
  ' dkim=pass header.i=@northwind.example; dmarc=pass header.from=northwind.example;',
  'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=northwind.example; s=sel1; t=1795423267;',
  ' h=from:to:subject:date:message-id:in-reply-to:references:mime-version:content-type;',
  ' bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;',
  ' b=Zq1vN0cI4n6dQ2m8XyP3fR7tK5wJ9hL1sB4aE6uG8oT2rY0iM3kV7nC5xD9pF1lH3jS6qW8eA0zU2bO4gR6yT8cN1mK3vX5',
  'From: Maria Garcia <maria.garcia@northwind.example>',
  'To: IT Support <support@northwind.example>',
  `Subject: ${subject}`,
  'Date: Mon, 23 Nov 2026 09:41:07 +0100',
  'Message-ID: <CAF3x9-reply-7781@mail.northwind.example>',
  'In-Reply-To: <ack-tkt-42@support.northwind.example>',
  'References: <CAF3x9-first-7780@mail.northwind.example> <ack-tkt-42@support.northwind.example>',
  'Thread-Topic: VPN keeps disconnecting',
  'X-Mailer: iPhone Mail (21G93)',
  'MIME-Version: 1.0',
  contentType,
];

/** A plain-text reply of about 2.3 KiB: a few lines, a phone signature, the quoted ack. */
function smallReply(): Buffer {
  return reply('RE: [TKT-42] VPN keeps disconnecting', 'Content-Type: text/plain; charset=utf-8', [
    'Content-Transfer-Encoding: 8bit',
    '',
    'Hi,',
    '',
    "I'm on the 2nd floor in Amsterdam, on the office Wi-Fi (NW-Corp). It happened again just now",
    'and I have a customer call at 11:00 that I need the VPN for. Restarting GlobalProtect did not help.',
    '',
    'Thanks,',
    'Maria',
    '',
    'Sent from my iPhone',
    '',
    'On Mon, 23 Nov 2026 at 08:02, IT Support <support@northwind.example> wrote:',
    ...ourAck.split('\n').map((line) => `> ${line}`.trimEnd()),
    '>',
    '> -----',
    '> Your request:',
    '> Since this morning the VPN drops every ten minutes and I have to sign in again.',
    '> It says "The network connection was interrupted" and then reconnects after a minute.',
    '> This makes it hard to work on the shared drive, and the Teams calls drop with it.',
    '> I am working from the Amsterdam office today.',
    '>',
    '> Maria Garcia',
    '> Finance, Northwind Ltd',
    '> +31 20 555 0142',
  ]);
}

/** A multipart/alternative reply of about 18 KiB: text and HTML, with five earlier messages below it. */
function multipartReply(): Buffer {
  const own = [
    'Hello again,',
    '',
    'Following up on the below: the dock still does not charge the laptop since the firmware update on',
    'Friday. I tried both USB-C ports and the other dock in room 2.14, same result. The asset tag is',
    'NW-LT-0217, the dock is a Dell WD22TB4. I need it working before the board meeting today at 14:00.',
    '',
    'Kind regards,',
    '',
    'Maria Garcia',
    'Finance Controller',
    'Northwind Ltd',
    '+31 20 555 0142',
  ];
  const history = (n: number) => [
    '',
    'From: IT Support <support@northwind.example>',
    `Sent: ${19 + n} November 2026 16:${10 + n}`,
    'To: Maria Garcia <maria.garcia@northwind.example>',
    `Subject: RE: [TKT-42] Dock not charging laptop (${n})`,
    '',
    'Hello Maria,',
    '',
    'Thank you for the details. Could you check whether the dock shows a white light when the laptop is',
    'connected, and whether charging works with the original power adapter? If it does, the dock needs a',
    'firmware update, which we can push remotely tonight. Please leave the laptop docked and switched on.',
    '',
    'Sometimes the cable between laptop and dock is the culprit; the short one that came with the dock',
    'is rated for 130 W, the long ones in the meeting rooms are not. Please use the short cable.',
    '',
    'Best regards,',
    'Alex Kim',
    'IT Support, Northwind Ltd',
  ];
  const earlier = [1, 2, 3, 4, 5];
  const text = [...own, ...earlier.flatMap(history)];
  const html = [
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style>p{margin:0}</style></head><body>',
    ...own.map((line) => `<p class="MsoNormal">${line || '&nbsp;'}</p>`),
    ...earlier.flatMap((n) => [
      '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">',
      ...history(n).map((line) => `<p class="MsoNormal"><span style="font-family:Calibri,sans-serif">${line || '&nbsp;'}</span></p>`),
      '</div>',
    ]),
    '</body></html>',
  ];
  const qp = (lines: string[]) => lines.flatMap((line) => (line.match(/.{1,74}/g) ?? ['']).map((part, i, parts) => (i < parts.length - 1 ? `${part}=` : part)));
  return reply('RE: [TKT-42] Dock not charging laptop', 'Content-Type: multipart/alternative; boundary="b1"', [
    '',
    '--b1',
    'Content-Type: text/plain; charset="utf-8"',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    ...qp(text),
    '--b1',
    'Content-Type: text/html; charset="utf-8"',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    ...qp(html),
    '--b1--',
  ]);
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** Long enough for the JIT to settle: a Lambda container handles many mails in its life. */
const WARM_UP_MS = 1000;

/**
 * CPU milliseconds per run of each function: after a warm-up, SAMPLES samples of `runs` runs
 * each, taken in turn, and the median of each.
 */
async function cpuMs(runs: number, fns: Record<string, () => unknown>): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = {};
  for (const [name, fn] of Object.entries(fns)) {
    samples[name] = [];
    for (const start = performance.now(); performance.now() - start < WARM_UP_MS; ) await fn();
  }
  for (let s = 0; s < SAMPLES; s++) {
    for (const [name, fn] of Object.entries(fns)) {
      const start = process.cpuUsage();
      for (let i = 0; i < runs; i++) await fn();
      const used = process.cpuUsage(start);
      samples[name]!.push((used.user + used.system) / 1000 / runs);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, xs]) => [name, xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!]));
}

const mails = [
  { name: `${(smallReply().length / 1024).toFixed(1)} KiB reply`, raw: smallReply(), runs: 200 },
  { name: `${(multipartReply().length / 1024).toFixed(1)} KiB multipart reply`, raw: multipartReply(), runs: 80 },
];
const ms = (x: number) => x.toFixed(3);
const ratio = (x: number) => `${x.toFixed(2)}×`;
console.log(`CPU ms per mail, medians of ${SAMPLES} (src: ${fileURLToPath(src)}); ratios to simpleParser\n`);
console.log('mail | simpleParser | parseMail | new-ticket logic | reply logic | parse + new-ticket logic | logic alone: new-ticket, reply');
for (const mail of mails) {
  const parsed = await parseMail(mail.raw, { limits: config.mail });
  const t = await cpuMs(mail.runs, {
    floor: () => simpleParser(mail.raw),
    parse: () => parseMail(mail.raw, { limits: config.mail }),
    newTicket: () => newTicketLogic(parsed),
    reply: () => replyLogic(parsed),
    both: async () => newTicketLogic(await parseMail(mail.raw, { limits: config.mail })),
  });
  const f = t.floor!;
  console.log(
    [mail.name, ms(f), `${ms(t.parse!)} (${ratio(t.parse! / f)})`, ms(t.newTicket!), ms(t.reply!), `${ms(t.both!)} (${ratio(t.both! / f)})`, `${ratio(t.newTicket! / f)}, ${ratio(t.reply! / f)}`].join(' | '),
  );
}
