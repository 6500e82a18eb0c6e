/**
 * What the local SES endpoint sent (its outbox directory), parsed: for tests that follow a mail
 * out of the product, such as a console sign-in link or a relayed answer.
 */
import { readFile } from 'node:fs/promises';
import { simpleParser, type ParsedMail } from 'mailparser';
import { expect } from 'vitest';
import type { Ticket } from '../../src/domain/ticket.js';
import { mailKind } from '../../src/cli/render.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';

export interface SentMail {
  /** The envelope's recipients, lower-cased. */
  to: string[];
  /** Our kind of mail from the Message-ID we composed (`relay`, `note-notification`…); null for a sign-in link. */
  kind: string | null;
  /** The Message-ID we composed, before SES replaced it. */
  composedMessageId: string | null;
  mail: ParsedMail;
}

/** The outbox's mails, oldest first, from the `from`-th on (a count taken earlier: what was sent since). */
export async function sentMails(outboxDir: string, from = 0): Promise<SentMail[]> {
  const entries = (await readOutbox(outboxDir)).slice(from);
  return Promise.all(
    entries.map(async (e) => ({
      to: e.destinations.map((d) => d.toLowerCase()),
      kind: mailKind(e.composedMessageId),
      composedMessageId: e.composedMessageId ?? null,
      mail: await simpleParser(await readFile(e.rawPath)),
    })),
  );
}

/** How many mails the outbox holds now: `sentMails(dir, count)` later gives what was sent since. */
export async function outboxCount(outboxDir: string): Promise<number> {
  return (await readOutbox(outboxDir)).length;
}

/** The console sign-in links mailed to `to`, oldest first: what follows `{web.baseUrl}/console/sign-in/` in each. */
export async function signInLinks(outboxDir: string, to: string): Promise<URL[]> {
  const mails = (await sentMails(outboxDir)).filter((m) => m.to.includes(to.toLowerCase()) && m.composedMessageId?.startsWith('sign-in.'));
  return mails.map((m) => {
    const link = /https?:\/\/[^\s/]+\/console\/sign-in\/[\w-]+/.exec(m.mail.text ?? '')?.[0];
    if (!link) throw new Error(`a sign-in mail to ${to} without a link:\n${m.mail.text}`);
    return new URL(link);
  });
}

/**
 * Of the mails sent, those to `requester` are exactly one relay: from the support address, with
 * the ticket's tag, on the requester's own thread (In-Reply-To and References name their mail).
 */
export function expectOneRelayOnThread(sent: SentMail[], requester: string, ticket: Pick<Ticket, 'id' | 'originMessageId'>): ParsedMail {
  const toRequester = sent.filter((m) => m.to.includes(requester));
  expect(toRequester.map((m) => m.kind)).toEqual(['relay']);
  const relay = toRequester[0]!.mail;
  expect(relay.from?.value[0]?.address).toBe('support@northwind.example');
  expect(relay.subject).toContain(`[${ticket.id}]`);
  expect(relay.inReplyTo).toBe(`<${ticket.originMessageId}>`);
  expect([relay.references ?? []].flat()).toContain(`<${ticket.originMessageId}>`);
  return relay;
}
