/**
 * The bench's mail, generated from a seed so every run reads the same bytes: requests to an IT
 * help desk as Outlook, Outlook for iOS, Gmail, Apple Mail, iPhone Mail and Thunderbird write
 * them (their headers, MIME structure, quote and forward styles, signatures), after SES has
 * stored them (its Received, verdict and Authentication-Results headers). Shapes follow
 * fixtures/mail.
 *
 * - multipart: new requests as multipart/alternative (quoted-printable text and HTML) that carry
 *   history: a forwarded thread, or a colleague's earlier mails under the request;
 * - replies: short follow-ups from the requesters of those requests, on their threads
 *   (In-Reply-To the request), quoting what they wrote;
 * - large: new requests with one 5 MB attachment (a log bundle, a scan, a screen recording).
 */
import { createCipheriv, createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import libmime from 'libmime';
import { mulberry32 } from '../support/random.js';

export interface CorpusSizes {
  multipart: number;
  replies: number;
  large: number;
  /** Size of each large mail's attachment, before base64. */
  attachmentBytes: number;
}

export type CorpusKind = 'replies' | 'multipart' | 'large';

export interface Corpus {
  dir: string;
  /** Files of each kind, in the order they arrive (replies after the requests they answer). */
  files: Record<CorpusKind, string[]>;
  /** For each reply, the index of the request (in files.multipart) it answers. */
  answers: number[];
  /** When the first mail arrives; each later one a minute after the one before. */
  startsAt: Date;
}

const mime = libmime as unknown as { encodeWords(value: string, mimeWordEncoding: 'Q' | 'B', maxLength: number): string };

type Rng = () => number;
type Client = 'outlook' | 'outlook-ios' | 'gmail' | 'apple-mail' | 'iphone' | 'thunderbird';

interface Person {
  name: string;
  address: string;
  title: string;
  phone: string;
  org: string;
}

interface Written {
  author: Person;
  to: Person[];
  date: Date;
  subject: string;
  /** Paragraphs of what they wrote, without greeting, sign-off or signature. */
  paragraphs: string[];
  greeting: string;
  signOff: string;
}

interface Mail {
  client: Client;
  from: Person;
  to: Person[];
  cc: Person[];
  subject: string;
  date: Date;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  text: string;
  html: string | null;
  attachment: { filename: string; contentType: string; bytes: number; seed: string } | null;
}

const SUPPORT: Person = { name: 'Northwind IT Support', address: 'support@northwind.example', title: '', phone: '', org: 'Northwind' };
const FIRST = ['Maria', 'Tom', 'Fatima', 'Jonas', 'Aisha', 'Pieter', 'Lena', 'Marco', 'Sofia', 'Daniel', 'Chloé', 'Yuki', 'Olumide', 'Hanna', 'Ravi', 'Zoë', 'Mateo', 'Ingrid', 'Kwame', 'Emma', 'Lucas', 'Nadia', 'Björn', 'Grace', 'Omar', 'Elif', 'Sean', 'Mei', 'Tobias', 'Amara'];
const LAST = ['Garcia', 'Becker', 'Haddad', 'de Vries', 'Khan', 'Jansen', 'Vogel', 'Rossi', 'Novak', 'Müller', 'Okafor', 'Tanaka', 'Lindqvist', 'Nair', 'Dubois', "O'Brien", 'Kowalski', 'Santos', 'Yilmaz', 'Brennan', 'Chen', 'Fischer', 'Andersen', 'Mensah', 'Costa'];
const TITLES = ['Finance Controller', 'HR Business Partner', 'Account Manager', 'Project Lead', 'Payroll Specialist', 'Office Manager', 'Sales Director', 'Legal Counsel', 'Marketing Analyst', 'Procurement Officer', 'Data Engineer', 'Executive Assistant'];
const ORGS = [
  { domain: 'northwind.example', org: 'Northwind', weight: 8 },
  { domain: 'contoso.example', org: 'Contoso', weight: 1 },
  { domain: 'fabrikam.example', org: 'Fabrikam', weight: 1 },
];

/** What people write to IT about: a subject, what happened, what they tried, what they need. */
const TOPICS = [
  {
    subjects: ['VPN drops every few minutes', "Can't connect to the VPN from home", 'GlobalProtect: gateway unreachable', 'VPN very slow since Monday'],
    happened: ['Since this morning the VPN disconnects every ten minutes or so and I lose my session in the finance system.', 'GlobalProtect gets as far as the MFA prompt, I approve it on my phone, and then it fails with "Gateway vpn.northwind.example: The network connection is unreachable".', 'The VPN connects, but the shared drives time out and Teams calls keep freezing.', 'When I am on the hotel Wi-Fi the VPN client just spins on "Connecting…" and never finishes.'],
    tried: ['I restarted the laptop and my router, same result.', 'Normal internet works fine, it is only the VPN.', 'A colleague on the same floor has the same problem, so I do not think it is just me.', 'I reinstalled the client from the portal yesterday but nothing changed.'],
    needs: ['I have the month-end close today, so I need the finance share as soon as possible.', 'Could someone have a look before my 14:00 client call?', 'Is there a known outage?'],
  },
  {
    subjects: ['Printer on 3rd floor not printing', 'Cannot print to the Ricoh in room 3.12', 'Print jobs stuck in queue', 'Scanner sends nothing to my mailbox'],
    happened: ['My print jobs go to the queue and then just sit there with the status "Error - Printing".', 'The Ricoh by the kitchen shows "Toner near end" and prints blank pages with a grey stripe.', 'Scan to email worked last week, now the scanner says "Transmission failed" after every page.', 'Everything I send to the printer comes out in tiny font on A5 instead of A4.'],
    tried: ['I removed and re-added the printer from the software centre.', 'Other people on the floor seem to be able to print.', 'I tried from Word and from a PDF, same thing.', 'Switching the printer off and on did not help.'],
    needs: ['We need to print contracts for signing this afternoon.', 'Could you send someone to look at it?', 'Is there another printer I can use in the meantime?'],
  },
  {
    subjects: ['Outlook keeps asking for my password', 'Locked out of my account', 'MFA prompt never arrives', 'Password expired while travelling'],
    happened: ['Outlook pops up a password window every few minutes; I type my password, it disappears, and it comes back ten minutes later.', 'After three wrong attempts this morning my account is locked and I cannot log in to anything.', 'The Authenticator app does not show the approval request any more since I got a new phone.', 'My password expired on Sunday and I cannot change it from outside the office.'],
    tried: ['I have not changed my password recently.', 'Webmail works in the browser, only the desktop app asks again and again.', 'I removed the account from the Authenticator app and added it again.', 'I tried the self-service reset, but it sends the code to my old number.'],
    needs: ['Could you reset it or tell me what to do?', 'I am in the Amsterdam office until Thursday if someone needs to see the laptop.', 'I need to get into my mailbox before the board meeting tomorrow.'],
  },
  {
    subjects: ['Laptop fan very loud and slow', 'Laptop will not boot after update', 'Docking station: no external screens', 'Keyboard missing keys on my laptop'],
    happened: ['Since the update on Friday the laptop fan runs at full speed and everything takes ages to open.', 'The laptop shows the logo, then a blue screen with "INACCESSIBLE_BOOT_DEVICE", and restarts.', 'When I plug into the dock, the laptop charges but neither of the two monitors gets a signal.', 'The E and R keys stopped working, I am typing this from my phone keyboard.'],
    tried: ['Task Manager shows something called "MsMpEng" at 90% CPU.', 'I tried another USB-C cable and another dock in the meeting room, same thing.', 'Holding the power button for thirty seconds did not change anything.', 'It is the standard Dell the office gave me in March.'],
    needs: ['Can I get a loaner while it is looked at?', 'I am travelling next week and really need a working laptop.', 'Please let me know when I can bring it by.'],
  },
  {
    subjects: ['Access to the Audit2026 share', 'Need access to the HR folder', 'Request: Power BI licence', 'Please install Visio on my laptop'],
    happened: ['I need read access to \\\\fs01\\Audit2026 for the year-end audit; my manager approved it in the thread below.', 'I moved from Sales to HR this month and still cannot open the HR folder on SharePoint.', 'For the new reporting project I need a Power BI Pro licence, the free one cannot share dashboards.', 'I need Visio to update the network diagrams for the office move.'],
    tried: ['The software centre does not list it.', 'When I click the link it says "You need permission to access this item".', 'I asked my manager and she said to write to you.', 'I requested it through the portal two weeks ago but did not hear back.'],
    needs: ['The auditors arrive on Monday, so it would be great to have it by Friday.', 'Approval from my manager is below.', 'Let me know if you need a cost centre for it.'],
  },
  {
    subjects: ['Wi-Fi in meeting room Fjord keeps dropping', 'Guest Wi-Fi vouchers for visitors', 'No network on the 2nd floor', 'Teams camera not detected'],
    happened: ['In the Fjord room the Wi-Fi disconnects every few minutes during calls, the other rooms are fine.', 'We have four visitors from Contoso next week and they need guest Wi-Fi for their laptops.', 'Since this morning the wired network on the 2nd floor gives "No internet" on every desk.', 'Teams says "We could not find a camera" even though the camera works in the Windows camera app.'],
    tried: ['I forgot the network and joined again.', 'The laptop shows full signal when it drops.', 'I tried a second laptop with the same result.', 'I updated Teams and restarted.'],
    needs: ['The customer workshop is in that room on Thursday.', 'They arrive Monday at 09:00.', 'Half of the team cannot work right now.'],
  },
];
const GREETINGS = ['Hi IT,', 'Hello,', 'Hi team,', 'Good morning,', 'Hi Priya,', 'Hi Alex,', 'Dear IT support,', 'Hi all,'];
const SIGN_OFFS = ['Thanks,', 'Thank you,', 'Best regards,', 'Kind regards,', 'Cheers,', 'Many thanks,', 'Best,'];
const FOLLOW_UPS = [
  'Quick update: it happened again this morning, same error as before.',
  'Any news on this? It is still not working.',
  'One more detail: it also happens when I am in the office, not only at home.',
  'It started working again after lunch, but I would like to know what it was.',
  'Thanks, that fixed it! You can close the ticket.',
  'I tried what you suggested, no change unfortunately.',
  'The error code is 0x80070005 if that helps.',
  'My colleague Tom has the same problem now.',
  'Sorry, forgot to say: the asset tag is NW-LT-0217.',
  'Could someone call me on my mobile? I am free until 15:00.',
];
const ASSETS = ['NW-LT-0217 (Windows 11)', 'NW-MB-0093 (macOS 15)', 'NW-LT-0441 (Windows 11)', 'NW-DT-0108 (Windows 10)'];

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const pickTwo = <T>(rng: Rng, xs: readonly T[]): [T, T] => {
  const i = Math.floor(rng() * xs.length);
  return [xs[i]!, xs[(i + 1 + Math.floor(rng() * (xs.length - 1))) % xs.length]!];
};
const hex = (rng: Rng, n: number, upper = true) => {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rng() * 16).toString(16);
  return upper ? s.toUpperCase() : s;
};
const uuid = (rng: Rng) => `${hex(rng, 8)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 12)}`;
const b64 = (rng: Rng, n: number) => {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = '';
  for (let i = 0; i < n; i++) s += abc[Math.floor(rng() * 64)];
  return s;
};

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const two = (n: number) => String(n).padStart(2, '0');
/** RFC 5322 date in CET (+0100), as clients in the office write it. */
function rfcDate(d: Date): string {
  const l = new Date(d.getTime() + 3600_000);
  return `${DAYS[l.getUTCDay()]}, ${l.getUTCDate()} ${MONTHS[l.getUTCMonth()]} ${l.getUTCFullYear()} ${two(l.getUTCHours())}:${two(l.getUTCMinutes())}:${two(l.getUTCSeconds())} +0100`;
}
const time = (d: Date) => `${two(new Date(d.getTime() + 3600_000).getUTCHours())}:${two(d.getUTCMinutes())}`;
const longDate = (d: Date) => `${LONG_DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${LONG_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${time(d)}`;
const shortDate = (d: Date) => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;

const mailbox = (p: Person) => (p.name ? `${/[^\w .-]/.test(p.name) ? `"${p.name}"` : p.name} <${p.address}>` : p.address);
const encodeHeader = (value: string) => (/[^\x20-\x7e]/.test(value) ? mime.encodeWords(value, 'Q', 52) : value);
/** A mailbox in a header: a name with non-ASCII letters as an encoded word, unquoted, as clients write it. */
const headerMailbox = (p: Person) => (/[^\x20-\x7e]/.test(p.name) ? `${encodeHeader(p.name)} <${p.address}>` : mailbox(p));

/** Quoted-printable, soft-wrapped at 76 characters, CRLF line ends. */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let encoded = '';
    const bytes = Buffer.from(line, 'utf8');
    bytes.forEach((b, i) => {
      const last = i === bytes.length - 1;
      encoded += (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last) ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    });
    while (encoded.length > 76) {
      let cut = 75;
      const escape = encoded.lastIndexOf('=', cut - 1);
      if (escape > cut - 3) cut = escape;
      out.push(`${encoded.slice(0, cut)}=`);
      encoded = encoded.slice(cut);
    }
    out.push(encoded);
  }
  return out.join('\r\n');
}

function base64Lines(bytes: Buffer): string {
  const b = bytes.toString('base64');
  let out = '';
  for (let i = 0; i < b.length; i += 76) out += `${b.slice(i, i + 76)}\r\n`;
  return out;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function makePerson(rng: Rng, used: Set<string>): Person {
  for (;;) {
    const first = pick(rng, FIRST);
    const last = pick(rng, LAST);
    const roll = rng() * ORGS.reduce((n, o) => n + o.weight, 0);
    let acc = 0;
    const org = ORGS.find((o) => (acc += o.weight) > roll)!;
    const local = `${first}.${last}`.normalize('NFD').replace(/[^\w.]/g, '').toLowerCase();
    const address = `${local}@${org.domain}`;
    if (used.has(address)) continue;
    used.add(address);
    return { name: `${first} ${last}`, address, title: pick(rng, TITLES), phone: `+31 20 555 ${String(Math.floor(rng() * 9000) + 1000)}`, org: org.org };
  }
}

type Topic = (typeof TOPICS)[number];

function writeRequest(rng: Rng, topic: Topic, author: Person, to: Person[], date: Date, subject?: string): Written {
  const paragraphs = [pick(rng, topic.happened), `${pick(rng, topic.tried)} ${rng() < 0.5 ? pick(rng, topic.tried) : ''}`.trim()];
  if (rng() < 0.6) paragraphs.push(`Laptop: ${pick(rng, ASSETS)}\nLast attempt: ${time(date)}`);
  paragraphs.push(pick(rng, topic.needs));
  return { author, to, date, subject: subject ?? pick(rng, topic.subjects), paragraphs, greeting: pick(rng, GREETINGS), signOff: pick(rng, SIGN_OFFS) };
}

const firstName = (p: Person) => p.name.split(' ')[0]!;
const signatureLines = (p: Person) => [p.name, `${p.title} | ${p.org}`, p.phone];

/** What someone wrote, as plain text: greeting, paragraphs, sign-off, signature in the client's style. */
function plainText(w: Written, client: Client): string {
  const sig = client === 'gmail' || client === 'thunderbird' ? ['-- ', ...signatureLines(w.author)] : signatureLines(w.author);
  const mobile = client === 'iphone' ? ['Sent from my iPhone'] : client === 'outlook-ios' ? ['Get Outlook for iOS<https://aka.ms/o0ukef>'] : [];
  return [w.greeting, '', ...w.paragraphs.flatMap((p) => [p, '']), w.signOff, firstName(w.author), '', ...(mobile.length ? mobile : sig)].join('\n');
}

/** An earlier message under a new one, in the writing client's style. */
function quoteOf(client: Client, w: Written): string {
  const body = plainText(w, 'outlook');
  switch (client) {
    case 'outlook':
    case 'outlook-ios':
      return [
        client === 'outlook-ios' ? '________________________________' : '',
        `From: ${mailbox(w.author)}`,
        `Sent: ${longDate(w.date)}`,
        `To: ${w.to.map(mailbox).join('; ')}`,
        `Subject: ${w.subject}`,
        '',
        body,
      ].join('\n');
    case 'gmail':
      return [`On ${DAYS[w.date.getUTCDay()]}, ${shortDate(w.date)} at ${time(w.date)}, ${mailbox(w.author)} wrote:`, '', ...body.split('\n').map((l) => (l ? `> ${l}` : '>'))].join('\n');
    case 'apple-mail':
    case 'iphone':
      return [`> On ${shortDate(w.date)}, at ${time(w.date)}, ${mailbox(w.author)} wrote:`, '> ', ...body.split('\n').map((l) => `> ${l}`)].join('\n');
    case 'thunderbird':
      return [`On ${two(w.date.getUTCDate())}/${two(w.date.getUTCMonth() + 1)}/${w.date.getUTCFullYear()} ${time(w.date)}, ${w.author.name} wrote:`, ...body.split('\n').map((l) => (l ? `> ${l}` : '>'))].join('\n');
  }
}

/** A forwarded message's header block, as the client writes it. */
function forwardOf(client: Client, w: Written): string {
  const body = plainText(w, 'outlook');
  if (client === 'gmail') return ['---------- Forwarded message ---------', `From: ${mailbox(w.author)}`, `Date: ${DAYS[w.date.getUTCDay()]}, ${shortDate(w.date)} at ${time(w.date)}`, `Subject: ${w.subject}`, `To: ${w.to.map(mailbox).join(', ')}`, '', body].join('\n');
  if (client === 'apple-mail') return ['Begin forwarded message:', '', `From: ${mailbox(w.author)}`, `Subject: ${w.subject}`, `Date: ${shortDate(w.date)} at ${time(w.date)}:00 CET`, `To: ${w.to.map(mailbox).join(', ')}`, '', body].join('\n');
  return quoteOf('outlook', w);
}

const OUTLOOK_STYLE = `<style><!--
/* Font Definitions */
@font-face
	{font-family:"Cambria Math";
	panose-1:2 4 5 3 5 4 6 3 2 4;}
@font-face
	{font-family:Aptos;}
/* Style Definitions */
p.MsoNormal, li.MsoNormal, div.MsoNormal
	{margin:0cm;
	font-size:12.0pt;
	font-family:"Aptos",sans-serif;
	mso-ligatures:standardcontextual;
	mso-fareast-language:EN-US;}
a:link, span.MsoHyperlink
	{mso-style-priority:99;
	color:#467886;
	text-decoration:underline;}
span.EmailStyle17
	{mso-style-type:personal-compose;
	font-family:"Aptos",sans-serif;
	color:windowtext;}
.MsoChpDefault
	{mso-style-type:export-only;
	font-size:10.0pt;
	mso-ligatures:none;
	mso-fareast-language:EN-US;}
@page WordSection1
	{size:612.0pt 792.0pt;
	margin:72.0pt 72.0pt 72.0pt 72.0pt;}
div.WordSection1
	{page:WordSection1;}
--></style><!--[if gte mso 9]><xml>
<o:shapedefaults v:ext="edit" spidmax="1026" />
</xml><![endif]--><!--[if gte mso 9]><xml>
<o:shapelayout v:ext="edit">
<o:idmap v:ext="edit" data="1" />
</o:shapelayout></xml><![endif]-->`;

/** The HTML alternative of a text, in the client's markup (Word HTML, Gmail divs, Apple Mail). */
function htmlOf(client: Client, text: string): string {
  const lines = text.split('\n');
  if (client === 'outlook' || client === 'outlook-ios') {
    const body = lines
      .map((l) => {
        if (l === '________________________________') return '<hr style="display:inline-block;width:98%" tabindex="-1">';
        const header = /^(From|Sent|To|Cc|Subject): (.*)$/.exec(l);
        if (!header) return `<p class="MsoNormal">${l ? escapeHtml(l) : '&nbsp;'}<o:p></o:p></p>`;
        const rule = header[1] === 'From' ? '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"></div>\n' : '';
        return `${rule}<p class="MsoNormal"><b><span lang="EN-US">${header[1]}:</span></b><span lang="EN-US"> ${escapeHtml(header[2]!)}<o:p></o:p></span></p>`;
      })
      .join('\n');
    return `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="Generator" content="Microsoft Word 15 (filtered medium)">
${OUTLOOK_STYLE}
</head>
<body lang="EN-GB" link="#467886" vlink="#96607D" style="word-wrap:break-word">
<div class="WordSection1">
${body}
</div>
</body>
</html>`;
  }
  // Gmail and Apple Mail: a div per line, quotes as blockquotes.
  let html = '';
  let depth = 0;
  for (const raw of lines) {
    const level = /^(> ?)*/.exec(raw)![0].replace(/ /g, '').length;
    const line = raw.replace(/^(> ?)+/, '');
    while (depth < level) {
      html += client === 'gmail' ? '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">' : '<blockquote type="cite">';
      depth++;
    }
    while (depth > level) {
      html += '</blockquote>';
      depth--;
    }
    html += line ? `<div>${escapeHtml(line)}</div>` : '<div><br></div>';
  }
  html += '</blockquote>'.repeat(depth);
  return client === 'gmail'
    ? `<div dir="ltr">${html}</div>`
    : `<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;">${html}</body></html>`;
}

function messageIdFor(rng: Rng, client: Client, from: Person): string {
  const domain = from.address.split('@')[1]!;
  switch (client) {
    case 'outlook':
    case 'outlook-ios': {
      const host = `${pick(rng, ['AM9PR07MB', 'DB9PR07MB', 'PA4PR07MB', 'AS8PR07MB'])}${Math.floor(rng() * 9000 + 1000)}`;
      return `${host}${hex(rng, 24)}@${host}.eurprd07.prod.outlook.com`;
    }
    case 'gmail':
      return `CA${b64(rng, 44).replace(/[+/]/g, '-')}@mail.gmail.com`;
    case 'apple-mail':
    case 'iphone':
      return `${uuid(rng)}@${domain}`;
    case 'thunderbird':
      return `${uuid(rng).toLowerCase()}@${domain}`;
  }
}

/** What SES adds in front of a stored mail: its Received line, verdicts and Authentication-Results. */
function sesHeaders(rng: Rng, from: Person, date: Date): string[] {
  const domain = from.address.split('@')[1]!;
  const ip = `40.107.${Math.floor(rng() * 250)}.${Math.floor(rng() * 250)}`;
  return [
    `Return-Path: <${from.address}>`,
    `Received: from mail-${hex(rng, 6, false)}.outbound.protection.example (mail.${domain} [${ip}])`,
    ` by inbound-smtp.eu-west-1.amazonaws.com with SMTP id ${b64(rng, 40).replace(/[+/]/g, 'x').toLowerCase()}`,
    ` for support@northwind.example;`,
    ` ${rfcDate(date).replace('+0100', '+0000 (UTC)')}`,
    'X-SES-Spam-Verdict: PASS',
    'X-SES-Virus-Verdict: PASS',
    `Received-SPF: pass (spfCheck: domain of ${domain} designates ${ip} as permitted sender) client-ip=${ip}; envelope-from=${from.address};`,
    'Authentication-Results: amazonses.com;',
    ` spf=pass (spfCheck: domain of ${domain} designates ${ip} as permitted sender) client-ip=${ip}; envelope-from=${from.address};`,
    ` dkim=pass header.i=@${domain};`,
    ` dmarc=pass header.from=${domain};`,
    `X-SES-RECEIPT: ${b64(rng, 420)}`,
    `X-SES-DKIM-SIGNATURE: a=rsa-sha256; q=dns/txt; b=${b64(rng, 300)}; c=relaxed/simple; s=ihchhvubuqgjsxyuhssfvqohv7z3u4hn; d=amazonses.com; t=${Math.floor(date.getTime() / 1000)}; v=1; bh=${b64(rng, 43)}=; h=From:To:Cc:Bcc:Subject:Date:Message-ID:MIME-Version:Content-Type:X-SES-RECEIPT;`,
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${domain};`,
    ` s=selector1; h=From:Date:Subject:Message-ID:Content-Type:MIME-Version;`,
    ` bh=${b64(rng, 43)}=;`,
    ` b=${b64(rng, 76)}`,
    `  ${b64(rng, 96)}`,
  ];
}

/** The client's own headers (beside From/To/Subject/Date/Message-ID), as fixtures/mail shows them. */
function clientHeaders(rng: Rng, m: Mail): string[] {
  switch (m.client) {
    case 'outlook':
      return [
        `Thread-Topic: ${encodeHeader(m.subject.replace(/^(RE|FW|Re|Fwd): /, ''))}`,
        `Thread-Index: AQH${b64(rng, 28)}==`,
        'Accept-Language: en-GB, en-US',
        'Content-Language: en-US',
        `X-MS-Has-Attach:${m.attachment ? ' yes' : ''}`,
        'X-MS-TNEF-Correlator:',
        'x-ms-publictraffictype: Email',
        `x-ms-office365-filtering-correlation-id: ${uuid(rng).toLowerCase()}`,
        'x-microsoft-antispam: BCL:0;ARA:13230040|1800799024|366016|376014|38070700018;',
        `x-microsoft-antispam-message-info:\n ${b64(rng, 140)}`,
        'X-OriginatorOrg: northwind.example',
        `X-MS-Exchange-CrossTenant-Network-Message-Id: ${uuid(rng).toLowerCase()}`,
        'X-MS-Exchange-CrossTenant-AuthAs: Internal',
      ];
    case 'outlook-ios':
      return [`Thread-Topic: ${encodeHeader(m.subject.replace(/^(RE|Re): /, ''))}`, `Thread-Index: AQH${b64(rng, 28)}==`, 'X-MS-Has-Attach:', 'X-MS-TNEF-Correlator:', 'x-ms-publictraffictype: Email'];
    case 'gmail':
      return [
        `X-Google-DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=1e100.net; s=20230601; t=${Math.floor(m.date.getTime() / 1000)};\n        bh=${b64(rng, 43)}=;\n        b=${b64(rng, 70)}`,
        `X-Gm-Message-State: AOJu0Y${b64(rng, 60)}`,
        `X-Google-Smtp-Source: AGHT+I${b64(rng, 80)}==`,
        `X-Received: by 2002:a05:6512:7643:b0:a3b:4f48:4c54 with SMTP id ${hex(rng, 12, false)}mr${Math.floor(rng() * 1e6)}e87.67.${Math.floor(m.date.getTime() / 10)};\n        ${rfcDate(m.date).replace('+0100', '-0800 (PST)')}`,
      ];
    case 'apple-mail':
      return ['X-Mailer: Apple Mail (2.3826.700.81)'];
    case 'iphone':
      return ['X-Mailer: iPhone Mail (22B91)'];
    case 'thunderbird':
      return ['User-Agent: Mozilla Thunderbird', 'Content-Language: en-GB'];
  }
}

const boundaryFor = (rng: Rng, client: Client, m: Mail) =>
  client === 'outlook' || client === 'outlook-ios'
    ? `_000_${m.messageId.split('@')[0]!.slice(0, 40)}_`
    : client === 'gmail'
      ? `000000000000${hex(rng, 12, false)}`
      : `Apple-Mail=_${uuid(rng)}`;

/** The raw mail (without an attachment's body, which `writeMail` streams). */
function render(rng: Rng, m: Mail): { head: string; attachmentAt: string | null; tail: string } {
  const headers = [
    ...sesHeaders(rng, m.from, m.date),
    `From: ${headerMailbox(m.from)}`,
    `To: ${m.to.map(headerMailbox).join(',\n\t')}`,
    ...(m.cc.length ? [`${m.client === 'outlook' ? 'CC' : 'Cc'}: ${m.cc.map(headerMailbox).join(',\n\t')}`] : []),
    `Subject: ${encodeHeader(m.subject)}`,
    `Date: ${rfcDate(m.date)}`,
    `Message-ID: <${m.messageId}>`,
    ...(m.references.length ? [`References: ${m.references.map((r) => `<${r}>`).join('\n ')}`] : []),
    ...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}>`] : []),
    ...clientHeaders(rng, m),
    m.client === 'apple-mail' ? 'Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3826.700.81\\))' : m.client === 'iphone' ? 'Mime-Version: 1.0 (1.0)' : 'MIME-Version: 1.0',
  ];
  const textPart = (charsetLine: string) => [charsetLine, 'Content-Transfer-Encoding: quoted-printable', '', quotedPrintable(m.text)].join('\r\n');
  const flowed = m.client === 'thunderbird' ? 'Content-Type: text/plain; charset=UTF-8; format=flowed' : 'Content-Type: text/plain; charset="utf-8"';
  let body: string;
  if (!m.html) body = textPart(flowed);
  else {
    const alt = boundaryFor(rng, m.client, m);
    body = [`Content-Type: multipart/alternative;\n\tboundary="${alt}"`, '', `--${alt}`, textPart(flowed), `--${alt}`, ['Content-Type: text/html; charset="utf-8"', 'Content-Transfer-Encoding: quoted-printable', '', quotedPrintable(m.html)].join('\r\n'), `--${alt}--`, ''].join('\r\n');
  }
  if (!m.attachment) return { head: `${headers.join('\r\n')}\r\n${body}`.replace(/\r?\n/g, '\r\n'), attachmentAt: null, tail: '' };
  const mixed = `${boundaryFor(rng, m.client, m)}_mixed`;
  const a = m.attachment;
  const head = [
    ...headers,
    `Content-Type: multipart/mixed;\n\tboundary="${mixed}"`,
    '',
    `--${mixed}`,
    body,
    `--${mixed}`,
    `Content-Type: ${a.contentType}; name="${a.filename}"`,
    `Content-Description: ${a.filename}`,
    `Content-Disposition: attachment; filename="${a.filename}"; size=${a.bytes}`,
    'Content-Transfer-Encoding: base64',
    '',
    '',
  ]
    .join('\r\n')
    .replace(/\r?\n/g, '\r\n');
  return { head, attachmentAt: a.seed, tail: `\r\n--${mixed}--\r\n` };
}

/** Deterministic attachment bytes: an AES-CTR keystream keyed by the seed, with a plausible file header. */
async function writeAttachment(out: NodeJS.WritableStream, seed: string, bytes: number, contentType: string): Promise<void> {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const magic = contentType === 'application/pdf' ? Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1') : contentType === 'application/zip' ? Buffer.from([0x50, 0x4b, 0x03, 0x04]) : Buffer.from([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70]);
  // 57 bytes of input make one 76-character base64 line: write whole lines per block.
  const block = 57 * 1024;
  let done = 0;
  while (done < bytes) {
    const n = Math.min(block, bytes - done);
    const chunk = cipher.update(Buffer.alloc(n));
    if (done === 0) magic.copy(chunk);
    done += n;
    if (!out.write(base64Lines(chunk))) await new Promise((r) => out.once('drain', r));
  }
}

async function writeMail(path: string, rng: Rng, m: Mail): Promise<void> {
  const { head, attachmentAt, tail } = render(rng, m);
  if (!attachmentAt) return writeFile(path, head);
  const out = createWriteStream(path);
  out.write(head);
  await writeAttachment(out, attachmentAt, m.attachment!.bytes, m.attachment!.contentType);
  out.end(tail);
  await finished(out);
}

const CLIENTS_NEW: Client[] = ['outlook', 'outlook', 'outlook', 'gmail', 'gmail', 'apple-mail'];
const CLIENTS_REPLY: Client[] = ['outlook-ios', 'iphone', 'iphone', 'gmail', 'thunderbird', 'apple-mail', 'outlook'];

/** Writes the corpus under `dir`; the same seed and sizes give the same bytes. */
export async function writeCorpus(dir: string, sizes: CorpusSizes, seed = 14): Promise<Corpus> {
  const rng = mulberry32(seed);
  const startsAt = new Date('2026-11-02T07:00:00Z');
  const minute = (i: number) => new Date(startsAt.getTime() + i * 60_000);
  const used = new Set<string>(['support@northwind.example']);
  const people = Array.from({ length: Math.max(20, Math.ceil(sizes.multipart / 3)) }, () => makePerson(rng, used));
  const colleagues = Array.from({ length: 40 }, () => makePerson(rng, used));
  const files: Corpus['files'] = { multipart: [], replies: [], large: [] };
  await Promise.all((['multipart', 'replies', 'large'] as const).map((k) => mkdir(join(dir, k), { recursive: true })));

  const requests: { mail: Mail; written: Written }[] = [];
  const answers: number[] = [];
  for (let i = 0; i < sizes.multipart; i++) {
    const client = pick(rng, CLIENTS_NEW);
    const from = people[i % people.length]!;
    const date = minute(i);
    const colleague = pick(rng, colleagues);
    const topic = pick(rng, TOPICS);
    // History: a colleague's earlier mails and the answers, under the request or forwarded.
    const first = writeRequest(rng, topic, colleague, [from], new Date(date.getTime() - 30 * 3600_000));
    const second = writeRequest(rng, topic, from, [colleague], new Date(date.getTime() - 26 * 3600_000), `RE: ${first.subject}`);
    const third = writeRequest(rng, topic, colleague, [from], new Date(date.getTime() - 20 * 3600_000), `RE: ${first.subject}`);
    const forward = rng() < 0.5;
    const now = writeRequest(rng, topic, from, [SUPPORT], date, forward ? `${client === 'outlook' ? 'FW' : 'Fwd'}: ${first.subject}` : undefined);
    const older = [quoteOf('outlook', second), '', quoteOf('outlook', first)];
    const history = forward ? [forwardOf(client, third), '', ...older] : [quoteOf(client === 'gmail' ? 'gmail' : 'outlook', third), '', ...older];
    const text = [plainText(now, client), '', ...history].join('\n');
    const mail: Mail = { client, from, to: [SUPPORT], cc: rng() < 0.3 ? [colleague] : [], subject: now.subject, date, messageId: messageIdFor(rng, client, from), inReplyTo: null, references: [], text, html: htmlOf(client, text), attachment: null };
    requests.push({ mail, written: now });
    const file = join(dir, 'multipart', `${String(i + 1).padStart(4, '0')}-${client}.eml`);
    await writeMail(file, rng, mail);
    files.multipart.push(file);
  }
  for (let i = 0; i < sizes.replies; i++) {
    const client = pick(rng, CLIENTS_REPLY);
    // A follow-up on a request made earlier: by its requester, quoting it.
    const answered = Math.floor(rng() * requests.length);
    answers.push(answered);
    const { mail: request, written } = requests[answered]!;
    const date = minute(sizes.multipart + i);
    const reply: Written = { author: request.from, to: [SUPPORT], date, subject: `${client.startsWith('outlook') ? 'RE' : 'Re'}: ${request.subject}`, paragraphs: rng() < 0.4 ? pickTwo(rng, FOLLOW_UPS) : [pick(rng, FOLLOW_UPS)], greeting: pick(rng, ['Hi,', 'Hello again,', 'Hi IT,', '']), signOff: pick(rng, SIGN_OFFS) };
    const short: Written = { ...written, paragraphs: written.paragraphs.slice(0, 2) };
    const text = [plainText(reply, client), '', quoteOf(client, short)].join('\n').replace(/^\n/, '');
    const html = client === 'iphone' || client === 'thunderbird' ? null : htmlOf(client, text);
    const mail: Mail = { client, from: request.from, to: [SUPPORT], cc: [], subject: reply.subject, date, messageId: messageIdFor(rng, client, request.from), inReplyTo: request.messageId, references: client === 'iphone' ? [] : [request.messageId], text, html, attachment: null };
    const file = join(dir, 'replies', `${String(i + 1).padStart(4, '0')}-${client}.eml`);
    await writeMail(file, rng, mail);
    files.replies.push(file);
  }
  const kinds = [
    { filename: 'logs-collected.zip', contentType: 'application/zip', what: 'the log bundle from the support tool' },
    { filename: 'signed-contract-scan.pdf', contentType: 'application/pdf', what: 'the scan of the signed contract' },
    { filename: 'screen-recording.mp4', contentType: 'video/mp4', what: 'a screen recording of the problem' },
  ];
  for (let i = 0; i < sizes.large; i++) {
    const client = pick(rng, ['outlook', 'gmail', 'apple-mail'] as const);
    const from = makePerson(rng, used);
    const date = minute(sizes.multipart + sizes.replies + i);
    const kind = pick(rng, kinds);
    const written = writeRequest(rng, pick(rng, TOPICS), from, [SUPPORT], date);
    written.paragraphs.push(`I have attached ${kind.what} (${kind.filename}).`);
    const text = plainText(written, client);
    const mail: Mail = { client, from, to: [SUPPORT], cc: [], subject: written.subject, date, messageId: messageIdFor(rng, client, from), inReplyTo: null, references: [], text, html: htmlOf(client, text), attachment: { ...kind, bytes: sizes.attachmentBytes, seed: `${seed}-${i}` } };
    const file = join(dir, 'large', `${String(i + 1).padStart(4, '0')}-${client}.eml`);
    await writeMail(file, rng, mail);
    files.large.push(file);
  }
  return { dir, files, answers, startsAt };
}
