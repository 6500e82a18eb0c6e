/**
 * `ticketing forget ADDRESS`: a requester's personal data erased on request (GDPR art. 17).
 *
 * Erased: their requester profile; their address and name wherever a record names them (on
 * their tickets the requester becomes a placeholder such as `erased-1f2e3d4c@forgotten.invalid`);
 * the text and attachments of every message they sent; and in S3 the raw mail they sent with
 * its kept whole text and attachments.
 *
 * Kept, because the team's records need it and it no longer names them: ticket numbers and
 * what happened on each ticket (status, category, priority, times, who on staff did what),
 * subjects with their address and name replaced, that a message came and when, Message-IDs
 * (replies still find their ticket), and the receipts of their mail (a late re-delivery stays a
 * re-delivery instead of opening a new ticket from mail whose raw copy is gone).
 *
 * Order: the plan is read first (nothing written), the S3 objects are deleted next, and the
 * records are rewritten last, so an interrupted run leaves records that still name them and a
 * repeated run finds them (and the objects' keys) again. A second run finds nothing.
 */
import { randomBytes } from 'node:crypto';
import type { BlobEraser, Clock, ErasurePlan, ErasureStore, ErasureSummary, PersonErasure } from './ports.js';
import { escapeRegExp } from '../domain/text.js';

export class ForgetError extends Error {
  override name = 'ForgetError';
}

export interface ForgetPorts {
  store: ErasureStore;
  blobs: BlobEraser;
  clock: Clock;
}

export interface ForgetReport extends ErasureSummary {
  address: string;
  /** What now stands where the address was kept. */
  placeholder: string;
  /** The names that were replaced along with the address. */
  names: string[];
  /** Raw mails they sent that were deleted from S3 (each with its kept text and attachments). */
  rawMails: number;
  /** S3 objects deleted in all. */
  objectsDeleted: number;
  /** True when no record named them: nothing was (or is left to be) erased. */
  nothingFound: boolean;
}

/** A plain address, lower-cased; anything else is refused before a record is read. */
export function normaliseAddress(input: string): string {
  const address = input.trim().replace(/^<|>$/g, '').toLowerCase();
  if (!/^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/.test(address)) {
    throw new ForgetError(`"${input}" is not an email address; forget takes one address, e.g. ticketing forget maria.garcia@northwind.example`);
  }
  return address;
}

/** Finds what names the person; nothing is written. */
export async function planForget(input: string, ports: ForgetPorts): Promise<ErasurePlan> {
  const address = normaliseAddress(input);
  const names = await ports.store.knownNames(address);
  const at = ports.clock.now().toISOString();
  return ports.store.planErasure(personErasure(address, names, `erased-${randomBytes(4).toString('hex')}@forgotten.invalid`, at));
}

/**
 * Carries the plan out: the S3 objects first, then the records. Each raw mail goes with its kept
 * whole text (`text/<raw key>.txt`) and its attachments (`attachments/<raw key>/…`); objects are
 * found by listing, so the count is of objects that were there.
 */
export async function applyForget(plan: ErasurePlan, ports: ForgetPorts): Promise<ForgetReport> {
  const objects = new Set<string>();
  const exact = async (key: string) => (await ports.blobs.list(key)).filter((k) => k === key);
  for (const rawKey of plan.rawKeys) {
    for (const key of [...(await exact(rawKey)), ...(await exact(`text/${rawKey}.txt`)), ...(await ports.blobs.list(`attachments/${rawKey}/`))]) objects.add(key);
  }
  for (const key of plan.blobKeys) for (const found of await exact(key)) objects.add(found);
  for (const key of objects) await ports.blobs.delete(key);
  await ports.store.applyErasure(plan);
  return reportOf(plan, objects.size);
}

export function reportOf(plan: ErasurePlan, objectsDeleted: number): ForgetReport {
  const { erasure, summary } = plan;
  return {
    address: erasure.address,
    placeholder: erasure.placeholder,
    names: erasure.knownAs,
    ...summary,
    rawMails: plan.rawKeys.length,
    objectsDeleted,
    nothingFound: isEmpty(plan),
  };
}

/** Nothing names them any more. */
export function isEmpty(plan: ErasurePlan): boolean {
  const s = plan.summary;
  return !s.profile && !s.ticketsOpened.length && !s.ticketsNaming.length && !s.messagesSent && !s.messagesNaming && !s.historyEntries && !s.receipts && !s.otherRecords && !plan.rawKeys.length;
}

/**
 * How text is cleaned of one person: their address (any case) becomes the placeholder; each
 * name they are known by, as a whole phrase (and "Last, First" also as "First Last"), becomes
 * "[erased]". Only full names (two words or more) are searched for on their own: a first name
 * alone would find every colleague who shares it.
 */
export function personErasure(address: string, names: string[], placeholder: string, at: string): PersonErasure {
  const variants = new Set<string>();
  for (const name of names.map((n) => n.trim().replace(/\s+/g, ' ')).filter((n) => n.length >= 2)) {
    variants.add(name);
    const comma = /^([^,]+),\s*(.+)$/.exec(name);
    if (comma) variants.add(`${comma[2]} ${comma[1]}`);
  }
  const phrase = (n: string) => `(?<![\\p{L}\\p{N}])${escapeRegExp(n).replace(/ /g, '\\s+')}(?![\\p{L}\\p{N}])`;
  const longestFirst = [...variants].sort((a, b) => b.length - a.length);
  const addressRe = new RegExp(escapeRegExp(address), 'giu');
  const nameRe = longestFirst.length ? new RegExp(longestFirst.map(phrase).join('|'), 'giu') : null;
  const fullNames = longestFirst.filter((n) => n.includes(' '));
  const findRe = new RegExp([escapeRegExp(address), ...fullNames.map(phrase)].join('|'), 'iu');
  const note = `erased on request on ${at.slice(0, 10)}`;
  return {
    address,
    placeholder,
    knownAs: [...variants],
    names: (text) => findRe.test(text),
    scrub: (text) => {
      const replaced = text.replace(addressRe, placeholder);
      return nameRe ? replaced.replace(nameRe, '[erased]') : replaced;
    },
    at,
    note,
    remarks: { unreplayable: `${note}: its raw mail is deleted, so it cannot be replayed`, noOneToWriteTo: `${note}: there is no one to write to`, notSent: `${note}: not sent` },
  };
}

