/**
 * A new request as the form and the API take it: who (name, email), what (subject,
 * description), in the words a person filling the form reads when something is wrong.
 */
import * as z from 'zod';
import type { Config } from '../config.js';
import { isSupportAddress } from '../domain/addresses.js';
import { addressBook } from '../pipeline/inbound.js';

/** Longest description any config allows; a config may ask for less (web.form.maxDescriptionChars). */
export const MAX_DESCRIPTION_CHARS = 100_000;

export const ticketRequestSchema = z
  .object({
    name: z.string({ error: 'Please enter your name.' }).trim().min(1, 'Please enter your name.').max(100, 'Please keep your name under 100 characters.'),
    email: z
      .string({ error: 'Please enter your email address.' })
      .trim()
      .toLowerCase()
      .min(1, 'Please enter your email address.')
      .max(254, 'That email address is too long.')
      .pipe(z.email('Please enter an email address we can reach you at, like name@example.com.')),
    subject: z.string({ error: 'Please give your request a short title.' }).trim().min(1, 'Please give your request a short title.').max(200, 'Please keep the title under 200 characters.'),
    description: z
      .string({ error: 'Please describe what is happening.' })
      .trim()
      .min(1, 'Please describe what is happening.')
      .max(MAX_DESCRIPTION_CHARS, `Please keep the description under ${MAX_DESCRIPTION_CHARS} characters.`),
  })
  .strict();

export type TicketRequest = z.infer<typeof ticketRequestSchema>;

/** What the schema cannot know: the config's own limit, and addresses that may not open tickets from the web. */
export function requestProblems(request: TicketRequest, config: Config): { field: keyof TicketRequest; message: string }[] {
  const problems: { field: keyof TicketRequest; message: string }[] = [];
  const max = config.web.form.maxDescriptionChars;
  if (request.description.length > max) problems.push({ field: 'description', message: `Please keep the description under ${max} characters (attach a file for longer logs).` });
  const book = addressBook(config);
  // Our own address would make us write to ourselves.
  if (isSupportAddress(request.email, book)) problems.push({ field: 'email', message: 'Please enter your own email address, not the support address.' });
  return problems;
}
