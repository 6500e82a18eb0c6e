/** The sign-in link, mailed to the staff address that asked for it (through the same mailer as all our mail). */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.js';
import { domainOf } from '../../domain/addresses.js';
import { composeMail } from '../../mail/compose.js';
import { staffTemplates } from '../../mail/templates/staff.js';
import type { Mailer } from '../../pipeline/mailer.js';

export async function mailSignInLink(to: string, link: string, config: Config, mailer: Mailer, now: Date): Promise<void> {
  const support = config.supportAddresses[0]!;
  const body = staffTemplates.signIn({ teamName: config.teamName, supportAddress: support, address: to, link, minutes: config.web.console.signInMinutes });
  const raw = await composeMail({
    from: { name: config.teamName, address: support },
    to: [to],
    cc: [],
    replyTo: support,
    subject: `Your sign-in link for the ${config.teamName} staff console`,
    // Our Message-IDs name their kind (the outbox shows it); the rest is random.
    messageId: `sign-in.${randomBytes(12).toString('hex')}@${domainOf(support)}`,
    inReplyTo: null,
    references: [],
    text: body.text,
    html: body.html,
    date: now,
    automatic: 'auto-generated',
  });
  await mailer.send(raw, { from: support, to: [to] });
}
