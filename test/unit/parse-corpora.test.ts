/**
 * parseMail over public MIME test corpora (../shared/corpora, beside the checkout): every .eml
 * must parse or raise MalformedMailError (never another exception), and where a corpus states
 * an expected value that maps to our normalised fields, it must match.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MalformedMailError, parseMail, type AttachmentSink } from '../../src/mail/parse.js';
import type { InboundMessage } from '../../src/mail/types.js';

const CORPORA = fileURLToPath(new URL('../../../shared/corpora/', import.meta.url));
const limits = { maxMessageBytes: 40 * 1024 * 1024, maxHeaderLines: 2000 };

interface Expectation {
  kind?: string;
  assert?: Record<string, unknown>;
}

interface Stored {
  md5: string;
  sha256: string;
  size: number;
}

/** One corpus: where its .eml files are, and how its file names appear in expected.json. */
const SETS = [
  { name: 'mime-nodemailer-mailparser', files: 'fixtures' },
  { name: 'mime-postalsys-postal-mime', files: 'fixtures' },
  { name: 'mime-mikel-mail', files: 'emails' },
] as const;

/**
 * Asserted values we deliberately do not check, per set/file/key, and why. Everything else in
 * an `assert` block must be mapped below, or the test fails and asks for a decision.
 */
const NOT_MAPPED: Record<string, string> = {
  'mime-nodemailer-mailparser/outofmemory.eml:error.message': 'mailparser run with maxHtmlLengthToParse; we set no such limit',
  'mime-nodemailer-mailparser/outofmemory.eml:text': 'ditto: the expected text is the "too long" placeholder',
  'mime-nodemailer-mailparser/outofmemory.eml:html': 'ditto',
  'mime-nodemailer-mailparser/nodemailer.eml:html_contains':
    'simpleParser inlines cid: images as data: URLs; we keep the cid: links (the images are stored as attachments) — checked below instead',
  'mime-nodemailer-mailparser/mixed.eml:html': 'expected HTML includes mailparser textToHtml of the text part, which we skip (skipTextToHtml)',
  'mime-postalsys-postal-mime/mixed.eml:text': "postal-mime's own rendering (the manifest notes it differs from mailparser's)",
  'mime-postalsys-postal-mime/mixed.eml:html': "postal-mime's own rendering",
  'mime-postalsys-postal-mime/mimetorture.eml:attachments.length with {forceRfc822Attachments:true}': 'a postal-mime option',
  'mime-postalsys-postal-mime/calendar-event.eml:attachments[0].method': 'postal-mime calendar metadata, not in AttachmentMeta',
  'mime-postalsys-postal-mime/calendar-event.eml:attachments[1].method': 'postal-mime calendar metadata, not in AttachmentMeta',
  'mime-postalsys-postal-mime/bounce.eml:attachments.length':
    'postal-mime counts the message/delivery-status part as an attachment; mailparser (and so we) put it in text — checked below instead',
};

/** Keys of the Ruby mail gem's DSN expectations that are bounce classification, not parsing. */
const CLASSIFICATION_KEYS = new Set(['bounced?', 'bounced? raises', 'retryable?', 'delivery_status_report?', 'delivery_status_part']);
/** DSN fields the gem reads from the message/delivery-status part, which is in our `text`. */
const DSN_FIELDS: Record<string, string> = {
  action: 'Action',
  final_recipient: 'Final-Recipient',
  error_status: 'Status',
  diagnostic_code: 'Diagnostic-Code',
  remote_mta: 'Remote-MTA',
};

function squeeze(text: string): string {
  return text.replace(/\s+/g, ' ').toLowerCase();
}

function check(key: string, value: unknown, msg: InboundMessage, stored: Stored[], where: string): void {
  const at = `${where}: ${key}`;
  switch (key) {
    case 'text_contains':
      for (const s of value as string[]) expect(msg.text, at).toContain(s);
      return;
    case 'html_contains':
      for (const s of value as string[]) expect(msg.html ?? '', at).toContain(s);
      return;
    case 'attachments_length':
    case 'attachments.length':
    case 'attachments.length (default)':
      expect(msg.attachments, at).toHaveLength(value as number);
      return;
    case 'attachments[2].checksum (md5)':
      expect(stored[2]?.md5, at).toBe(value);
      return;
    case 'attachments[0].content sha256':
      expect(msg.attachments[0]?.sha256, at).toBe(value);
      return;
    case 'attachments[0].content deep-equals attachments[1].content':
      expect(msg.attachments[0]?.sha256 === msg.attachments[1]?.sha256, at).toBe(value);
      return;
    case 'subject':
      expect(msg.subject, at).toBe(value);
      return;
    case 'to': {
      const expected = (value as { value: { name: string; address: string }[] }).value;
      expect(msg.to, at).toEqual(expected.map((a) => ({ name: a.name, address: a.address.toLowerCase() })));
      return;
    }
    case 'text':
      expect(msg.text, at).toBe(value);
      return;
    case 'html':
      expect(msg.html, at).toBe(value);
      return;
    case 'html.trim() non-empty':
      expect((msg.html ?? '').trim() !== '', at).toBe(value);
      return;
    case 'simpleParser':
      // "text and textAsHtml truthy, html falsy"
      expect(msg.text.trim(), at).not.toBe('');
      expect(msg.html, at).toBeNull();
      return;
    case 'skipTextToHtml':
      expect(msg.text.split('\n')[0], at).toBe((value as { first_text_line: string }).first_text_line);
      return;
    case 'multipart_report?':
      expect(msg.contentType === 'multipart/report', at).toBe(value);
      return;
  }
  const field = DSN_FIELDS[key];
  if (field) {
    expect(squeeze(msg.text), at).toContain(squeeze(`${field}: ${value as string}`));
    return;
  }
  if (CLASSIFICATION_KEYS.has(key)) return;
  throw new Error(`${at}: asserted key is neither mapped nor listed in NOT_MAPPED`);
}

function emlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? emlFiles(path) : name.endsWith('.eml') ? [path] : [];
    });
}

/** Stores nothing, but hashes every attachment as a sink would see it. */
function hashingSink(stored: Stored[]): AttachmentSink {
  return {
    async put({ index, content }) {
      const md5 = createHash('md5');
      const sha = createHash('sha256');
      let size = 0;
      for await (const chunk of content as Readable) {
        md5.update(chunk as Buffer);
        sha.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      stored[index] = { md5: md5.digest('hex'), sha256: sha.digest('hex'), size };
      return { blobKey: `corpus/${index}` };
    },
  };
}

if (!existsSync(CORPORA)) {
  it('parse corpora are absent: nothing to check', () => {
    console.warn(`\n  !! ${CORPORA} is absent: the parse-corpora checks did not run\n`);
  });
}

for (const set of existsSync(CORPORA) ? SETS : []) {
  const root = join(CORPORA, set.name);
  describe(`parse corpus ${set.name}`, () => {
    if (!existsSync(root)) {
      it('is absent: nothing to check', () => {
        console.warn(`\n  !! corpus ${root} is absent: the parse-corpora checks for ${set.name} did not run\n`);
      });
      return;
    }
    const expected = (JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as { fixtures: Record<string, Expectation> }).fixtures;
    const dir = join(root, set.files);
    const files = emlFiles(dir);

    it('has .eml files', () => {
      expect(files.length).toBeGreaterThan(0);
    });

    for (const path of files) {
      const name = relative(dir, path).split('\\').join('/');
      const expectation = expected[name] ?? {};
      it(name, async () => {
        const raw = readFileSync(path);
        const stored: Stored[] = [];
        let msg: InboundMessage;
        try {
          msg = await parseMail(raw, { limits, attachments: hashingSink(stored) });
        } catch (err) {
          expect(err, `${name} threw something other than MalformedMailError`).toBeInstanceOf(MalformedMailError);
          // the Ruby gem's malformed inputs are ones its specs parse without raising: so must we
          expect(expectation.kind ?? '', `${name}: ${(err as Error).message}`).not.toMatch(/not to raise/);
          expect(expectation.assert, `${name} has asserted values but did not parse`).toBeUndefined();
          return;
        }

        // invariants for every message
        expect(msg.rawSize).toBe(raw.length);
        expect(msg.rawSha256).toBe(createHash('sha256').update(raw).digest('hex'));
        expect(msg.messageId).not.toBe('');
        expect(msg.text).not.toMatch(/\r/);
        expect(msg.attachments.map((a) => [a.sha256, a.size])).toEqual(stored.map((s) => [s.sha256, s.size]));
        for (const [i, a] of msg.attachments.entries()) expect(a.blobKey).toBe(`corpus/${i}`);

        for (const [key, value] of Object.entries(expectation.assert ?? {})) {
          if (NOT_MAPPED[`${set.name}/${name}:${key}`]) continue;
          check(key, value, msg, stored, name);
        }
        if (set.name === 'mime-nodemailer-mailparser' && name === 'nodemailer.eml') {
          expect(msg.html).toContain('src="cid:nyan@example.com"');
          expect(msg.attachments.find((a) => a.contentId === 'nyan@example.com')?.inline).toBe(true);
        }
        if (set.name === 'mime-postalsys-postal-mime' && name === 'bounce.eml') {
          expect(msg.attachments.map((a) => a.contentType)).toEqual(['message/rfc822']);
          expect(msg.text).toMatch(/Status: 5\.\d\.\d/);
        }
      });
    }
  });
}
