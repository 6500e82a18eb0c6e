/**
 * What our own border MTA said about a mail, read from the Authentication-Results headers it
 * prepends (RFC 8601: grammar §2.2, results §2.7, removing forged copies §5 and §7.1). Anyone can
 * write this header, so only the headers at the very top, bearing an authserv-id the config says
 * our border writes, count: the border adds its own above everything the sender wrote. DKIM
 * alignment is relaxed alignment, RFC 7489 §3.1.1.
 */
import { domainToASCII } from 'node:url';
import { getDomain } from 'tldts';
import type { VerdictStatus } from './receipt.js';

/** One `method=result` statement (a resinfo), e.g. `dkim=pass header.d=contoso.com`. */
export interface AuthResult {
  /** Lower-cased, without a method version (`dkim/1` → `dkim`). */
  method: string;
  /** Lower-cased: `pass`, `fail`, `softfail`, `none`, …, or whatever the writer put there. */
  result: string;
  reason: string | null;
  /**
   * `ptype.property` → value, keys lower-cased (`header.d` → `contoso.com`), values as written,
   * unquoted. Also holds the non-standard bare `name=value` pairs some writers add
   * (Microsoft's `action=none`, Amazon SES's `client-ip=…`). The first of a repeated key wins.
   */
  properties: Record<string, string>;
}

export interface AuthenticationResults {
  /** As written; '' when the header has none (Microsoft 365 / Exchange Online write it so). */
  authservId: string;
  /** In header order. Empty for `authserv-id; none`. */
  results: AuthResult[];
}

export type AuthenticationResultsReading = { header: AuthenticationResults; problem: null } | { header: null; problem: string };

/** The header, or null when the value is not an Authentication-Results header at all. */
export function parseAuthenticationResults(value: string): AuthenticationResults | null {
  return readAuthenticationResults(value).header;
}

/** Like parseAuthenticationResults, and says in words why a value is not one. */
export function readAuthenticationResults(value: string): AuthenticationResultsReading {
  return new HeaderReader(value).read();
}

// ---------------------------------------------------------------------------------------------
// The parser: one pass over the value, never backtracking. Comments `(…)` are skipped wherever
// CFWS may stand, so nothing inside one is ever read as a result; a method's result is only
// ever the word right after its `=` at the start of a resinfo.

/** RFC 8601 Keyword (an ldh-str), with `_` tolerated. */
const KEYWORD_CHAR = /[A-Za-z0-9_-]/;
/** Ends a bare (unquoted) value: whitespace, the next resinfo, a comment, a quoted-string. */
const VALUE_END = /[\s;("]/;

class HeaderReader {
  private readonly text: string;
  private at = 0;

  constructor(value: string) {
    // Unfolded or not: a line break is whitespace here. A pasted header name is tolerated.
    this.text = value.replace(/^\s*authentication-results\s*:/i, '');
  }

  read(): AuthenticationResultsReading {
    this.skipCfws();
    if (this.done()) return { header: null, problem: 'the value is empty' };
    if (this.startsWithMethodspec()) {
      // Microsoft 365 / Exchange Online write no authserv-id: `spf=pass (sender IP is …) smtp.mailfrom=…;
      // dkim=pass (signature was verified) header.d=…;dmarc=pass action=none header.from=…;compauth=…`
      // (https://learn.microsoft.com/en-ZA/defender-office-365/message-headers-eop-mdo).
      const results = this.readResinfos(true);
      if (results[0]?.method === 'i') return { header: null, problem: 'this is an ARC-Authentication-Results value (it starts with "i=")' };
      return { header: { authservId: '', results }, problem: null };
    }
    const authservId = this.peek() === '"' ? this.readQuoted() : this.readBare(/[\s;("=]/);
    if (authservId === '') return { header: null, problem: `no authserv-id before "${this.text.slice(this.at, this.at + 20)}"` };
    this.skipCfws();
    if (/[0-9]/.test(this.peek())) {
      this.readBare(/[^0-9]/); // authres-version (`example.org 1;`); only version 1 exists
      this.skipCfws();
    }
    if (!this.done() && this.peek() !== ';') {
      return { header: null, problem: `expected ";" after the authserv-id "${authservId}", found "${this.text.slice(this.at, this.at + 20)}"` };
    }
    return { header: { authservId, results: this.readResinfos(false) }, problem: null };
  }

  /** Every resinfo up to the end; `first` when the first one has no ";" before it. */
  private readResinfos(first: boolean): AuthResult[] {
    const results: AuthResult[] = [];
    let pending = first;
    for (;;) {
      this.skipCfws();
      if (!pending) {
        if (this.done()) return results;
        if (this.peek() !== ';') this.skipToSemicolon(); // junk after a resinfo: drop it
        if (this.done()) return results;
        this.at += 1; // the ";"
      }
      pending = false;
      const result = this.readResinfo();
      if (result) results.push(result);
    }
  }

  /** One resinfo after its ";": `method[/version]=result [reason=…] [ptype.property=value …]`. */
  private readResinfo(): AuthResult | null {
    this.skipCfws();
    const method = this.readMethod().toLowerCase();
    // Not a methodspec: `; none` (no-result), a trailing ";", Outlook.com's stray `; hotmail.com;`.
    if (method === '' || this.peek() !== '=') return null;
    this.at += 1;
    this.skipCfws();
    let result = this.peek() === '"' ? this.readQuoted() : this.readKeyword();
    if (!this.done() && !VALUE_END.test(this.peek())) {
      // Not a Keyword after all (SES's `envelope-from=x@evil.test`): keep the whole value.
      result += this.readBare(VALUE_END);
    }
    // No prototype: property names come from the mail (`__proto__`, `constructor`).
    const found: AuthResult = { method, result: result.toLowerCase(), reason: null, properties: Object.create(null) as Record<string, string> };
    for (;;) {
      this.skipCfws();
      if (this.done() || this.peek() === ';') return found;
      const name = this.readPropertyName();
      this.skipCfws();
      if (name === '' || this.peek() !== '=') {
        // A stray word where a property should be: drop it, keep the resinfo.
        if (name === '') this.readValue();
        continue;
      }
      this.at += 1;
      this.skipCfws();
      const value = this.readValue();
      if (name === 'reason') found.reason ??= value;
      else if (!(name in found.properties)) found.properties[name] = value;
    }
  }

  /** `ptype.property` (CFWS around the dot allowed), lower-cased; or a bare `name`. */
  private readPropertyName(): string {
    let name = this.readKeyword();
    for (;;) {
      const mark = this.at;
      this.skipCfws();
      if (name === '' || this.peek() !== '.') {
        this.at = mark;
        return name.toLowerCase();
      }
      this.at += 1;
      this.skipCfws();
      name += '.' + this.readKeyword();
    }
  }

  /** A pvalue: a quoted-string, `"quoted local"@domain`, or everything up to a delimiter. */
  private readValue(): string {
    let value = this.peek() === '"' ? this.readQuoted() : '';
    if (value === '' || this.peek() === '@') value += this.readBare(VALUE_END);
    return value;
  }

  /** True when the value starts `keyword[/version] =`, i.e. with a methodspec and no authserv-id. */
  private startsWithMethodspec(): boolean {
    const mark = this.at;
    const found = this.readMethod() !== '' && this.peek() === '=';
    this.at = mark;
    return found;
  }

  /** A method keyword and its optional `/version`, up to where its `=` should be. */
  private readMethod(): string {
    const method = this.readKeyword();
    this.skipCfws();
    if (method !== '' && this.peek() === '/') {
      this.at += 1;
      this.skipCfws();
      this.readBare(/[^0-9]/);
      this.skipCfws();
    }
    return method;
  }

  private readKeyword(): string {
    const start = this.at;
    while (!this.done() && KEYWORD_CHAR.test(this.peek())) this.at += 1;
    return this.text.slice(start, this.at);
  }

  private readBare(end: RegExp): string {
    const start = this.at;
    while (!this.done() && !end.test(this.peek())) this.at += 1;
    return this.text.slice(start, this.at);
  }

  /** A quoted-string at the cursor, without its quotes and escapes; unterminated runs to the end. */
  private readQuoted(): string {
    let out = '';
    this.at += 1;
    while (!this.done()) {
      const c = this.text[this.at++]!;
      if (c === '"') return out;
      if (c === '\\' && !this.done()) out += this.text[this.at++];
      else out += c;
    }
    return out;
  }

  /** Whitespace and comments; comments nest and may hold quoted-pairs. */
  private skipCfws(): void {
    while (!this.done()) {
      const c = this.peek();
      if (/\s/.test(c)) this.at += 1;
      else if (c === '(') this.skipComment();
      else return;
    }
  }

  private skipComment(): void {
    let depth = 0;
    while (!this.done()) {
      const c = this.text[this.at++];
      if (c === '\\') this.at += 1;
      else if (c === '(') depth += 1;
      else if (c === ')' && --depth === 0) return;
    }
  }

  /** Past junk to the next ";" that is not inside a comment or a quoted-string. */
  private skipToSemicolon(): void {
    while (!this.done() && this.peek() !== ';') {
      const c = this.peek();
      if (c === '(') this.skipComment();
      else if (c === '"') this.readQuoted();
      else this.at += 1;
    }
  }

  private peek(): string {
    return this.text[this.at] ?? '';
  }

  private done(): boolean {
    return this.at >= this.text.length;
  }
}

// ---------------------------------------------------------------------------------------------
// The border verdict.

/** What our own border said about the mail, and which headers said it. */
export interface BorderVerdict {
  /** The authserv-id of the topmost header ('' for Microsoft 365). */
  authservId: string;
  spf: VerdictStatus;
  /** PASS when any DKIM signature the border checked passed. */
  dkim: VerdictStatus;
  dmarc: VerdictStatus;
  /** The d= of a passing DKIM signature aligned with the From domain; null when there is none. */
  dkimAlignedDomain: string | null;
  /** In words: which headers, and what they said. */
  evidence: string;
}

export type BorderReading = { verdict: BorderVerdict; reason: null } | { verdict: null; reason: string };

/** The methods the verdict reads; the rest (iprev, arc, compauth, x-…) are kept but grant nothing. */
const VERDICT_METHODS = ['spf', 'dkim', 'dmarc'];

/**
 * headerValues: every Authentication-Results value of the mail, topmost first.
 * trustedIds: the authserv-ids our border writes (exact, case-insensitive; '' is the header
 * without one, as Microsoft 365 writes it). Null when the headers grant nothing.
 */
export function borderVerdict(headerValues: string[], trustedIds: string[], fromDomain: string | null): BorderVerdict | null {
  return readBorderVerdict(headerValues, trustedIds, fromDomain).verdict;
}

/**
 * Only the run of consecutive trusted headers at the very top counts (OpenDKIM, OpenDMARC and
 * an SPF checker each prepend their own); the first header that is not trusted, not readable,
 * or reports spf, dkim or dmarc again after a header above it did ends the run. A border that
 * does not remove copies of its own authserv-id (RFC 8601 §5) leaves the sender's copy right
 * below its own; the repeat rule drops such a copy whenever it restates a method the border
 * reported, so each of the three methods is read from one header only, the topmost to report it.
 * A header may report several DKIM signatures: DKIM passes when any of them passed, and any
 * passing one aligned with the From domain is named in dkimAlignedDomain.
 */
export function readBorderVerdict(headerValues: string[], trustedIds: string[], fromDomain: string | null): BorderReading {
  const trusted = new Set(trustedIds.map((id) => id.trim().toLowerCase()));
  if (trusted.size === 0) return { verdict: null, reason: 'no authserv-id is configured for this mailbox, so Authentication-Results headers grant nothing' };
  if (headerValues.length === 0) return { verdict: null, reason: 'the mail has no Authentication-Results header' };

  const run: AuthenticationResults[] = [];
  const reported = new Set<string>();
  let stop = '';
  for (const value of headerValues) {
    const reading = readAuthenticationResults(value);
    if (!reading.header) {
      stop = `unreadable (${reading.problem})`;
      break;
    }
    const { authservId, results } = reading.header;
    if (!trusted.has(authservId.toLowerCase())) {
      stop = `from ${describeId(authservId)}, which is not our border (we trust ${[...trusted].map(describeId).join(', ')})`;
      break;
    }
    const methods = new Set(results.map((r) => r.method).filter((m) => VERDICT_METHODS.includes(m)));
    const again = [...methods].filter((m) => reported.has(m));
    if (again.length > 0) {
      stop = `from ${describeId(authservId)} again but reports ${again.join(', ')} a second time, as a copy the sender wrote would`;
      break;
    }
    for (const m of methods) reported.add(m);
    run.push(reading.header);
  }
  const top = run[0];
  if (!top) return { verdict: null, reason: `the topmost Authentication-Results header is ${stop}; what lies below it is the sender's word` };

  const all = run.flatMap((header) => header.results);
  const spf = all.find((r) => r.method === 'spf');
  const dmarc = all.find((r) => r.method === 'dmarc');
  const signatures = all.filter((r) => r.method === 'dkim'); // all from one header (the repeat rule)
  const passing = signatures.filter((r) => r.result === 'pass');
  const dkim: VerdictStatus = passing.length > 0 ? 'PASS' : statusOf(signatures[0]?.result);
  const aligned = fromDomain === null ? undefined : passing.map(signingDomain).find((d) => d !== null && relaxedAligned(d, fromDomain));

  const headers = run.length === 1 ? 'the topmost Authentication-Results header' : `the ${run.length} topmost Authentication-Results headers`;
  const dkimWords = signatures.length === 0 ? 'dkim absent' : signatures.map((s) => dkimWordsOf(s, fromDomain)).join(', ');
  const ignored = headerValues.length - run.length;
  const below = ignored === 0 ? '' : `; ${ignored} lower header${ignored === 1 ? '' : 's'} ignored: the first is ${stop}`;
  const evidence = `${headers}, from ${describeId(top.authservId)}, said ${methodWords('spf', spf)}, ${dkimWords}, ${methodWords('dmarc', dmarc)}${below}`;

  return {
    verdict: {
      authservId: top.authservId,
      spf: statusOf(spf?.result),
      dkim,
      dmarc: statusOf(dmarc?.result),
      dkimAlignedDomain: aligned ?? null,
      evidence,
    },
    reason: null,
  };
}

const STATUS: Record<string, VerdictStatus> = {
  pass: 'PASS',
  fail: 'FAIL',
  softfail: 'FAIL',
  hardfail: 'FAIL', // RFC 5451's name for fail
  none: 'GRAY',
  neutral: 'GRAY',
  policy: 'GRAY',
  temperror: 'PROCESSING_FAILED',
  permerror: 'PROCESSING_FAILED',
};

/** Absent and unknown words (Microsoft's `bestguesspass`, say) are GRAY: only `pass` passes. */
function statusOf(result: string | undefined): VerdictStatus {
  return (result !== undefined && Object.hasOwn(STATUS, result) ? STATUS[result] : undefined) ?? 'GRAY';
}

/** The signing domain: header.d, else the domain of header.i (`@sub.contoso.com`). */
function signingDomain(result: AuthResult): string | null {
  const d = result.properties['header.d'];
  if (d) return d;
  const i = result.properties['header.i'];
  if (!i) return null;
  const domain = i.slice(i.lastIndexOf('@') + 1);
  return domain === '' ? null : domain;
}

function methodWords(method: string, result: AuthResult | undefined): string {
  return result ? `${method}=${result.result}` : `${method} absent`;
}

function dkimWordsOf(signature: AuthResult, fromDomain: string | null): string {
  const domain = signingDomain(signature);
  if (domain === null) return `dkim=${signature.result} (no signing domain)`;
  if (signature.result !== 'pass' || fromDomain === null) return `dkim=${signature.result} by ${domain}`;
  return `dkim=pass by ${domain} (${relaxedAligned(domain, fromDomain) ? 'aligned' : 'not aligned'} with From ${fromDomain})`;
}

function describeId(authservId: string): string {
  return authservId === '' ? 'Microsoft 365 (no authserv-id)' : authservId;
}

// ---------------------------------------------------------------------------------------------
// Alignment.

/**
 * Relaxed DMARC alignment (RFC 7489 §3.1.1): both domains have the same organizational domain.
 * The organizational domain comes from the Public Suffix List including its private section
 * (tldts `allowPrivateDomains`), so `a.github.io` and `b.github.io` are two organizations, as
 * they are to DMARC verifiers. Reserved names (`.example`, `.test`, `.invalid`) are not on the
 * list; tldts applies the list's default rule (`*`: the last label is the suffix) to them, so
 * `mail.northwind.example` aligns with `northwind.example`. Where tldts finds no organizational
 * domain (a single label, an IP address) only the same name aligns.
 */
export function relaxedAligned(a: string, b: string): boolean {
  const left = asciiDomain(a);
  const right = asciiDomain(b);
  if (left === null || right === null) return false;
  if (left === right) return true;
  const options = { allowPrivateDomains: true, extractHostname: false } as const;
  const orgLeft = getDomain(left, options);
  return orgLeft !== null && orgLeft === getDomain(right, options);
}

/** Lower-case A-labels without a trailing dot; null for anything that is not a domain name (an address, say). */
function asciiDomain(name: string): string | null {
  const trimmed = name.trim().replace(/\.$/, '');
  if (trimmed === '' || /[\s@/\\:[\]]/.test(trimmed)) return null;
  const ascii = domainToASCII(trimmed);
  return ascii === '' ? null : ascii.toLowerCase();
}
