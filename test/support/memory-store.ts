/**
 * The ticket table's ports (TicketBook, DeliveryLedger, JobRecords, IncidentBook) in memory, for the bench and
 * for tests that need the pipeline without a server. It keeps the contract the DynamoDB adapters
 * keep (src/aws/dynamo-*.ts), not a simpler one:
 *
 * - conditional writes answer as DynamoDB's conditions do: a ticket is created once, numbered
 *   once (the counter remembers the number taken for a ticket until it holds it), a plan is put
 *   once, an effect is claimed only from pending (all of them at once, else one by one), an
 *   hour's limit is a set that a replayed member does not grow;
 * - an update of an item that must exist throws DynamoDB's ConditionalCheckFailedException, and an
 *   item over DynamoDB's size limits is refused with the adapters' own error, so the pipeline
 *   quarantines what it would quarantine on AWS;
 * - the sparse indexes are what they are on the table: numbered open tickets by requester and by
 *   priority, quarantined receipts, unsettled plans, undelivered mail, each sorted by time;
 * - string sets come back sorted and without repeats; records are copied in and out, so a caller
 *   changing what it got changes nothing stored.
 *
 * Every method does its work without awaiting in between, so each is atomic, as one DynamoDB
 * request is; a port method the adapters make of several requests is atomic here too.
 */
import { ticketToItem, messageToItem, receiptToItem, planToItem, eventItems, threadKeyItem, type ThreadKeyExtra } from '../../src/aws/dynamo-items.js';
import { assertItemSize, itemSize, type Item } from '../../src/aws/dynamo-table.js';
import type { Incident, IncidentMember } from '../../src/domain/incidents/incident.js';
import type { TicketEvent } from '../../src/domain/lifecycle.js';
import { isOpen, type RequesterProfile, type Ticket, type TicketChanges, type ThreadMessage } from '../../src/domain/ticket.js';
import type { EffectPlan, PlannedEffect } from '../../src/pipeline/effects.js';
import type {
  ActivityPosition,
  AppendWrite,
  EffectSettlement,
  IncidentClaim,
  InboundLookup,
  InboundLookupResult,
  LimitSlot,
  MailboxCheckpoint,
  MailboxCursor,
  MailboxFolder,
  MergeWrite,
  NewTicketWrite,
  OutboundWrite,
  ReceiptRecord,
  StaleRun,
  TicketChangeWrite,
  TicketPage,
  TicketStore,
  UndeliveredMail,
} from '../../src/pipeline/ports.js';

/** DynamoDB's own limit on an item after an update (the adapters refuse writes at 350 KB before sending). */
const DYNAMODB_MAX_ITEM_BYTES = 400 * 1024;

/** An update's condition failed where the adapter does not expect it to: as DynamoDB names it. */
export class ConditionalCheckFailedError extends Error {
  override name = 'ConditionalCheckFailedException';
}

/** DynamoDB refused an update that would grow an item past 400 KB: as DynamoDB says it. */
export class ItemSizeExceededError extends Error {
  override name = 'ValidationException';
}

interface ThreadKeyRecord {
  ticketKey: string;
  role?: string;
  incident?: string;
  sentTo?: string[];
}

interface StoredProfile {
  name?: string;
  firstSeenAt?: string;
  bouncing?: boolean;
  bounceDetail?: string | null;
}

const copy = <T>(value: T): T => structuredClone(value);
/** A DynamoDB string set as the adapters read it back: sorted, without repeats. */
const stringSet = (values: Iterable<string>): string[] => [...new Set(values)].sort();
/** Ascending by a time field, ties by key: the order a sparse index gives. */
const byTime = <T>(at: (x: T) => string, key: (x: T) => string) => (a: T, b: T) => at(a).localeCompare(at(b)) || key(a).localeCompare(key(b));

export class MemoryTicketStore implements TicketStore {
  readonly #tickets = new Map<string, Ticket>();
  /** Per ticket: message key → message. */
  readonly #messages = new Map<string, Map<string, ThreadMessage>>();
  /** Per ticket: the event's sort key (`E#<cause>#<n>`) → event. */
  readonly #events = new Map<string, Map<string, TicketEvent>>();
  readonly #threadKeys = new Map<string, ThreadKeyRecord>();
  readonly #aliases = new Map<number, string>();
  #counter = 0;
  /** The number taken for a ticket that does not hold it yet. */
  readonly #pendingNumbers = new Map<string, number>();
  readonly #receipts = new Map<string, ReceiptRecord>();
  readonly #profiles = new Map<string, StoredProfile>();
  readonly #plans = new Map<string, { plan: EffectPlan; open: boolean }>();
  readonly #undelivered = new Map<string, UndeliveredMail>();
  readonly #limits = new Map<string, Set<string>>();
  readonly #staleRuns = new Map<string, StaleRun>();
  readonly #checkpoints = new Map<string, MailboxCheckpoint & { at: string }>();
  readonly #cursors = new Map<string, MailboxCursor>();
  readonly #leases = new Map<string, { owner: string; expiresAt: number }>();
  readonly #incidents = new Map<number, Omit<Incident, 'members'> & { members: Map<string, IncidentMember> }>();
  #incidentCounter = 0;
  /** By service: the report that claimed forming its incident. */
  readonly #claims = new Map<string, IncidentClaim>();
  /** The number taken for the incident a ticket forms. */
  readonly #incidentNumbers = new Map<string, number>();

  // --- TicketBook ---------------------------------------------------------------------------

  async lookUpInbound(q: InboundLookup): Promise<InboundLookupResult> {
    const result: InboundLookupResult = {
      receipts: this.#receiptsOf(q.receiptIds),
      threadKeyHits: new Map(),
      threadKeyRoles: new Map(),
      threadKeyIncidents: new Map(),
      tickets: new Map(),
      messagesFound: new Set(),
      ticketByNumber: null,
      openTicketsOfRequester: q.requester ? this.#openTicketsOf(q.requester.address, q.requester.since) : [],
      profile: q.profile ? this.#profileOf(q.profile) : null,
      plan: this.#plans.has(q.planKey) ? copy(this.#plans.get(q.planKey)!.plan) : null,
      sentTo: new Map(),
      // The counter is read in the same batch: the number taken for this mail's ticket, if one is.
      ...(q.numberFor ? { pendingNumber: this.#pendingNumbers.get(q.numberFor) ?? null } : {}),
    };
    for (const id of new Set(q.threadKeys)) {
      const hit = this.#threadKeys.get(id);
      if (!hit) continue;
      result.threadKeyHits.set(id, hit.ticketKey);
      if (hit.role) result.threadKeyRoles.set(id, hit.role);
      if (hit.incident) result.threadKeyIncidents.set(id, hit.incident);
      if (hit.sentTo) result.sentTo.set(id, [...hit.sentTo]);
    }
    for (const key of q.ticketKeys) {
      const ticket = this.#tickets.get(key);
      if (ticket) result.tickets.set(key, copy(ticket));
    }
    for (const m of q.messageItems) if (this.#messages.get(m.ticketKey)?.has(m.messageKey)) result.messagesFound.add(`${m.ticketKey}/${m.messageKey}`);
    const aliasKey = q.ticketNumber !== null ? this.#aliases.get(q.ticketNumber) : undefined;
    const tagged = aliasKey ? this.#tickets.get(aliasKey) : undefined;
    if (tagged && tagged.number === q.ticketNumber) {
      result.ticketByNumber = copy(tagged);
      result.tickets.set(tagged.key, copy(tagged));
    }
    return result;
  }

  async getTickets(keys: string[]): Promise<Map<string, Ticket>> {
    const found = new Map<string, Ticket>();
    for (const key of keys) if (this.#tickets.has(key)) found.set(key, copy(this.#tickets.get(key)!));
    return found;
  }

  async nextTicketNumber(ticketKey: string): Promise<{ number: number; ours: boolean }> {
    const taken = this.#pendingNumbers.get(ticketKey);
    if (taken !== undefined) return { number: taken, ours: false };
    this.#counter++;
    this.#pendingNumbers.set(ticketKey, this.#counter);
    return { number: this.#counter, ours: true };
  }

  async returnTicketNumber(ticketKey: string, number: number): Promise<boolean> {
    if (this.#counter !== number) return false;
    this.#counter = number - 1;
    this.#pendingNumbers.delete(ticketKey);
    return true;
  }

  async forgetTicketNumber(ticketKey: string, number: number): Promise<void> {
    if (this.#pendingNumbers.get(ticketKey) === number) this.#pendingNumbers.delete(ticketKey);
  }

  async createTicket(w: NewTicketWrite): Promise<boolean> {
    assertItemSize(ticketToItem(w.ticket));
    this.#putThreadItems(w.ticket.key, w.threadKeys.map((id) => [id, {}]), w.message, w.message.key, w.events);
    // The requester's profile is touched whether or not this call made the ticket, as the adapter's parallel update is.
    const profile = this.#profiles.get(w.ticket.requester) ?? {};
    this.#profiles.set(w.ticket.requester, { ...profile, firstSeenAt: profile.firstSeenAt ?? w.ticket.createdAt, name: w.ticket.requesterName });
    if (this.#tickets.has(w.ticket.key)) return false;
    this.#tickets.set(w.ticket.key, this.#asStored(w.ticket));
    return true;
  }

  async numberTicket(ticket: Ticket): Promise<Ticket> {
    // The alias is written beside the conditional update, so it is there even when the update fails.
    this.#aliases.set(ticket.number, ticket.key);
    const stored = this.#tickets.get(ticket.key);
    if (!stored) throw new ConditionalCheckFailedError(`ticket ${ticket.key} does not exist`);
    if (stored.number && stored.number !== ticket.number) return copy(stored);
    stored.number = ticket.number;
    stored.id = ticket.id;
    return ticket;
  }

  async appendMessage(w: AppendWrite): Promise<void> {
    const stored = this.#existing(w.ticket.key);
    this.#putThreadItems(w.ticket.key, w.threadKeys.map((id) => [id, w.sentTo ? { sentTo: w.sentTo } : {}]), w.message, w.message.key, w.events ?? []);
    this.#update(stored, w.ticket, w.changes ?? {}, w.activityAt, (t) => {
      t.messageKeys = stringSet([...t.messageKeys, w.message.key]);
      if (w.newParticipants.length) t.participants = stringSet([...t.participants, ...w.newParticipants]);
      if (w.merged) t.mergedKeys = stringSet([...t.mergedKeys, w.message.key]);
    });
    // Only once the message, thread keys and ticket are written: the receipts.
    this.#putReceipts(w.receipts);
  }

  async recordMerge(w: MergeWrite): Promise<void> {
    const target = this.#existing(w.target.key);
    this.#putEvents(w.target.key, `merge-${w.source.key}`, [w.event]);
    this.#update(target, target, {}, null, (t) => {
      t.mergedKeys = stringSet([...t.mergedKeys, ...(w.source.messageKeys.length ? w.source.messageKeys : [w.source.key])]);
    });
  }

  async listEvents(ticketKey: string): Promise<TicketEvent[]> {
    const events = [...(this.#events.get(ticketKey) ?? new Map<string, TicketEvent>()).entries()];
    // The table returns them by sort key; the adapter sorts them by time (a stable sort).
    return events
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, e]) => copy(e))
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  async changeTicket(w: TicketChangeWrite): Promise<void> {
    this.#putEvents(w.ticket.key, w.causeKey, w.events);
    if (Object.values(w.changes).some((v) => v !== undefined)) this.#update(this.#existing(w.ticket.key), w.ticket, w.changes, null);
  }

  async staleCandidates(priority: string | null, idleSince: string): Promise<Ticket[]> {
    return [...this.#tickets.values()]
      .filter((t) => this.#indexed(t) && (t.priority ?? null) === priority && t.lastActivityAt <= idleSince)
      .sort(byTime((t) => t.lastActivityAt, (t) => t.key))
      .map(copy);
  }

  async setStale(ticket: Ticket, staleSince: string | null): Promise<void> {
    this.#update(this.#existing(ticket.key), ticket, { stale: staleSince !== null, staleSince }, null);
  }

  async getTicketById(number: number): Promise<Ticket | null> {
    const key = this.#aliases.get(number);
    const ticket = key ? this.#tickets.get(key) : undefined;
    return ticket && ticket.number === number ? copy(ticket) : null;
  }

  async listTickets(): Promise<Ticket[]> {
    return [...this.#tickets.values()].filter((t) => t.number > 0).sort((a, b) => a.number - b.number).map(copy);
  }

  async openTickets(): Promise<Ticket[]> {
    return [...this.#tickets.values()].filter((t) => this.#indexed(t)).map(copy);
  }

  async resolvedSince(since: string): Promise<Ticket[]> {
    return [...this.#tickets.values()].filter((t) => t.number > 0 && t.status === 'resolved' && t.resolvedAt !== null && t.resolvedAt >= since).map(copy);
  }

  /** The byActivity index's order: last activity, then key, both descending (a Query read backwards). */
  async ticketsByActivity(from: ActivityPosition | null, limit: number): Promise<TicketPage> {
    const position = (t: ActivityPosition) => `${t.lastActivityAt}\u0000${t.key}`;
    const ordered = [...this.#tickets.values()].filter((t) => t.number > 0).sort((a, b) => position(b).localeCompare(position(a)));
    const after = from ? ordered.filter((t) => position(t) < position(from)) : ordered;
    return { tickets: after.slice(0, limit).map(copy), end: after.length <= limit };
  }

  /** Every ticket here is in every index it belongs to. */
  async reindexTickets(): Promise<number> {
    return 0;
  }

  async listMessages(ticketKey: string): Promise<ThreadMessage[]> {
    const answerAfter = (m: ThreadMessage) => (m.direction === 'outbound' ? 1 : 0);
    return [...(this.#messages.get(ticketKey)?.values() ?? [])]
      .map(copy)
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || answerAfter(a) - answerAfter(b) || a.key.localeCompare(b.key));
  }

  // --- DeliveryLedger -----------------------------------------------------------------------

  async recordReceipts(receipts: ReceiptRecord[]): Promise<void> {
    this.#putReceipts(receipts);
  }

  async getReceipts(ids: string[]): Promise<ReceiptRecord[]> {
    return this.#receiptsOf(ids);
  }

  async listQuarantine(): Promise<ReceiptRecord[]> {
    const held = [...this.#receipts.values()].filter((r) => r.state === 'quarantined').sort(byTime((r) => r.at, (r) => r.id));
    // A sha: and a mid: record can describe the same delivery: each raw object once, as the adapter lists it.
    const byRaw = new Map<string, ReceiptRecord>();
    for (const r of held) byRaw.set(r.rawKey, copy(r));
    return [...byRaw.values()];
  }

  async takeSlot(slot: LimitSlot): Promise<boolean> {
    const key = `${slot.scope}#${slot.hour}`;
    const members = this.#limits.get(key) ?? new Set<string>();
    // The adapter's condition: no members yet, or room, or this member already in.
    if (members.size > 0 && members.size >= slot.max && !members.has(slot.member)) return false;
    members.add(slot.member);
    this.#limits.set(key, members);
    return true;
  }

  async returnSlot(slot: LimitSlot): Promise<void> {
    this.#limits.get(`${slot.scope}#${slot.hour}`)?.delete(slot.member);
  }

  async recordOutbound(w: OutboundWrite): Promise<void> {
    this.#recordOutbound(w, w.message);
  }

  async completeOutboundRecord(w: OutboundWrite): Promise<void> {
    this.#recordOutbound(w, null);
  }

  #recordOutbound(w: OutboundWrite, message: ThreadMessage | null): void {
    const stored = this.#existing(w.ticketKey);
    const ties = new Set(w.sentTo.keys);
    const ids = [...new Set([...w.threadKeys, ...w.sentTo.keys])];
    this.#putThreadItems(
      w.ticketKey,
      ids.map((id) => [id, { role: w.message.role, incident: w.message.incident, ...(ties.has(id) && w.sentTo.recipients.length ? { sentTo: w.sentTo.recipients } : {}) }]),
      message,
      w.message.key,
      [],
    );
    this.#update(stored, stored, {}, null, (t) => {
      if (w.outboundTexts) t.outboundTexts = copy(w.outboundTexts);
      t.messageKeys = stringSet([...t.messageKeys, w.message.key]);
    });
  }

  async outboundRecorded(messages: { ticketKey: string; messageKey: string }[]): Promise<Set<string>> {
    return new Set(messages.filter((m) => this.#messages.get(m.ticketKey)?.has(m.messageKey)).map((m) => `${m.ticketKey}/${m.messageKey}`));
  }

  async markBouncing(address: string, detail: string, _at: string): Promise<void> {
    this.#profiles.set(address, { ...this.#profiles.get(address), bouncing: true, bounceDetail: detail });
  }

  async clearBouncing(address: string): Promise<void> {
    const profile = this.#profiles.get(address);
    if (profile) this.#profiles.set(address, { ...profile, bouncing: false, bounceDetail: null });
  }

  async getProfiles(addresses: string[]): Promise<Map<string, RequesterProfile>> {
    const found = new Map<string, RequesterProfile>();
    for (const address of addresses) {
      const profile = this.#profileOf(address);
      if (profile) found.set(address, profile);
    }
    return found;
  }

  // --- PlanStore ----------------------------------------------------------------------------

  async putPlan(plan: EffectPlan): Promise<EffectPlan> {
    const open = plan.effects.some((e) => e.state === 'pending');
    assertItemSize(planToItem(plan, open));
    const stored = this.#plans.get(plan.key);
    if (stored) return copy(stored.plan);
    this.#plans.set(plan.key, { plan: copy(plan), open });
    return plan;
  }

  async getPlan(key: string): Promise<EffectPlan | null> {
    const stored = this.#plans.get(key);
    return stored ? copy(stored.plan) : null;
  }

  async claimEffects(planKey: string, ids: string[], at: string): Promise<Set<string>> {
    if (!ids.length) return new Set();
    // As the adapter: one conditional update for all of them, else one for each.
    if (this.#claim(planKey, ids, at)) return new Set(ids);
    if (ids.length === 1) return new Set();
    return new Set(ids.filter((id) => this.#claim(planKey, [id], at)));
  }

  async releaseEffects(planKey: string, ids: string[], at: string): Promise<void> {
    for (const id of ids) {
      const effect = this.#effect(planKey, id);
      if (effect?.state === 'sending' && effect.claimedAt === at) effect.state = 'pending';
    }
  }

  async settleEffects(planKey: string, settlements: EffectSettlement[], settled: boolean, undelivered: UndeliveredMail[]): Promise<void> {
    if (settlements.length || settled) {
      const stored = this.#plans.get(planKey);
      if (!stored) throw new ConditionalCheckFailedError(`plan ${planKey} does not exist`);
      for (const s of settlements) {
        const effect = stored.plan.effects.find((e) => e.id === s.id);
        if (!effect) throw new ConditionalCheckFailedError(`plan ${planKey} has no effect ${s.id}`);
        Object.assign(effect, { state: s.state, detail: s.detail, providerId: s.providerId, attempts: s.attempts });
      }
      if (settled) stored.open = false;
    }
    for (const u of undelivered) this.#undelivered.set(`${u.planKey}#${u.effectId}`, copy(u));
  }

  async openPlans(before: string): Promise<EffectPlan[]> {
    return [...this.#plans.values()]
      .filter((p) => p.open && p.plan.createdAt < before)
      .map((p) => copy(p.plan))
      .sort(byTime((p) => p.createdAt, (p) => p.key));
  }

  async undeliveredSince(since: string): Promise<UndeliveredMail[]> {
    return [...this.#undelivered.values()]
      .filter((u) => u.at >= since)
      .map(copy)
      .sort(byTime((u) => u.at, (u) => `${u.planKey}#${u.effectId}`));
  }

  // --- JobRecords ---------------------------------------------------------------------------

  async claimStaleRun(slot: string, at: string): Promise<StaleRun | null> {
    const earlier = this.#staleRuns.get(slot);
    if (earlier) return copy(earlier);
    this.#staleRuns.set(slot, { slot, startedAt: at, finishedAt: null, result: null, flaggedKeys: [] });
    return null;
  }

  async finishStaleRun(run: StaleRun): Promise<void> {
    this.#staleRuns.set(run.slot, copy(run));
    this.#staleRuns.set('last', copy(run));
  }

  async lastStaleRun(): Promise<StaleRun | null> {
    const last = this.#staleRuns.get('last');
    return last ? copy(last) : null;
  }

  async mailboxCheckpoint(mailbox: MailboxFolder): Promise<MailboxCheckpoint | null> {
    const stored = this.#checkpoints.get(folderKey(mailbox));
    return stored ? { uidValidity: stored.uidValidity, lastUid: stored.lastUid } : null;
  }

  async saveMailboxCheckpoint(mailbox: MailboxFolder, checkpoint: MailboxCheckpoint, at: Date): Promise<void> {
    this.#checkpoints.set(folderKey(mailbox), { ...checkpoint, at: at.toISOString() });
  }

  async mailboxCursor(mailbox: MailboxFolder): Promise<MailboxCursor | null> {
    const stored = this.#cursors.get(folderKey(mailbox));
    return stored ? { cursor: stored.cursor, pending: [...stored.pending] } : null;
  }

  async saveMailboxCursor(mailbox: MailboxFolder, cursor: MailboxCursor, _at: Date): Promise<void> {
    this.#cursors.set(folderKey(mailbox), { cursor: cursor.cursor, pending: [...cursor.pending] });
  }

  async leaseMailbox(mailbox: MailboxFolder, owner: string, at: Date, until: Date): Promise<{ heldUntil: Date } | null> {
    const key = folderKey(mailbox);
    const held = this.#leases.get(key);
    // As the adapter's condition: free, or its TTL (whole seconds) is before now.
    if (held && held.expiresAt >= Math.floor(at.getTime() / 1000)) return { heldUntil: new Date(held.expiresAt * 1000) };
    this.#leases.set(key, { owner, expiresAt: Math.ceil(until.getTime() / 1000) });
    return null;
  }

  async releaseMailbox(mailbox: MailboxFolder, owner: string): Promise<void> {
    const key = folderKey(mailbox);
    if (this.#leases.get(key)?.owner === owner) this.#leases.delete(key);
  }

  // --- IncidentBook -------------------------------------------------------------------------

  async recentReports(since: string): Promise<Ticket[]> {
    return [...this.#tickets.values()]
      .filter((t) => t.number > 0 && t.outage && t.lastActivityAt >= since && t.createdAt >= since)
      .sort(byTime((t) => t.lastActivityAt, (t) => t.key))
      .reverse()
      .map(copy);
  }

  async nextIncidentNumber(ownerKey: string): Promise<number> {
    const taken = this.#incidentNumbers.get(ownerKey);
    if (taken !== undefined) return taken;
    this.#incidentNumbers.set(ownerKey, ++this.#incidentCounter);
    return this.#incidentCounter;
  }

  async claimIncidentForming(claim: IncidentClaim, now: string): Promise<IncidentClaim> {
    const held = this.#claims.get(claim.service);
    if (!held || held.until < now || held.number === claim.number) this.#claims.set(claim.service, copy(claim));
    return copy(this.#claims.get(claim.service)!);
  }

  async createIncident(incident: Incident): Promise<Incident> {
    if (!this.#incidents.has(incident.number)) {
      this.#incidents.set(incident.number, { ...copy(incident), members: new Map(incident.members.map((m) => [m.ticketKey, copy(m)])) });
    }
    return this.#incidentOut(incident.number)!;
  }

  async addIncidentMembers(number: number, members: IncidentMember[]): Promise<void> {
    const stored = this.#incidentItem(number);
    for (const m of members) stored.members.set(m.ticketKey, copy(m));
  }

  async removeIncidentMembers(number: number, ticketKeys: string[]): Promise<void> {
    const stored = this.#incidentItem(number);
    for (const key of ticketKeys) stored.members.delete(key);
  }

  async resolveIncident(number: number, at: string): Promise<void> {
    const stored = this.#incidentItem(number);
    stored.status = 'resolved';
    stored.resolvedAt ??= at;
    if (this.#claims.get(stored.service)?.number === number) this.#claims.delete(stored.service);
  }

  async getIncident(number: number): Promise<Incident | null> {
    return this.#incidentOut(number);
  }

  async openIncidents(): Promise<Incident[]> {
    return (await this.listIncidents()).filter((i) => i.status === 'open');
  }

  async resolvedIncidentsSince(since: string): Promise<Incident[]> {
    return (await this.listIncidents())
      .filter((i) => i.status === 'resolved' && i.resolvedAt! >= since)
      .sort((a, b) => b.resolvedAt!.localeCompare(a.resolvedAt!));
  }

  async listIncidents(): Promise<Incident[]> {
    return [...this.#incidents.keys()].map((n) => this.#incidentOut(n)!).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  #incidentItem(number: number): Omit<Incident, 'members'> & { members: Map<string, IncidentMember> } {
    const stored = this.#incidents.get(number);
    if (!stored) throw new ConditionalCheckFailedError('The conditional request failed');
    return stored;
  }

  #incidentOut(number: number): Incident | null {
    const stored = this.#incidents.get(number);
    if (!stored) return null;
    const members = [...stored.members.values()].sort((a, b) => a.at.localeCompare(b.at) || a.ticketId.localeCompare(b.ticketId));
    return copy({ ...stored, members });
  }

  // --- helpers ------------------------------------------------------------------------------

  /** What the table holds of a new ticket: its string sets as sets read back. */
  #asStored(ticket: Ticket): Ticket {
    const stored = copy(ticket);
    stored.participants = stringSet(stored.participants);
    stored.messageKeys = stringSet(stored.messageKeys);
    stored.mergedKeys = stringSet(stored.mergedKeys);
    return stored;
  }

  #existing(ticketKey: string): Ticket {
    const stored = this.#tickets.get(ticketKey);
    if (!stored) throw new ConditionalCheckFailedError(`ticket ${ticketKey} does not exist`);
    return stored;
  }

  /** In the sparse indexes: numbered and open, as ticketToItem and the updates keep the index keys. */
  #indexed(t: Ticket): boolean {
    return t.number > 0 && isOpen(t.status);
  }

  /**
   * The adapter's ticket update: each change set; last activity moved when the write's activity
   * is later than the caller's copy says; then DynamoDB's own item-size check.
   */
  #update(stored: Ticket, seen: Ticket, changes: TicketChanges & { stale?: boolean; staleSince?: string | null; nudgedAt?: string }, activityAt: string | null, more?: (t: Ticket) => void): void {
    const next = copy(stored);
    for (const [field, value] of Object.entries(changes)) if (value !== undefined) Object.assign(next, { [field]: copy(value) });
    if (activityAt && activityAt > seen.lastActivityAt) next.lastActivityAt = activityAt;
    more?.(next);
    if (itemSize(ticketToItem(next)) > DYNAMODB_MAX_ITEM_BYTES) throw new ItemSizeExceededError('Item size has exceeded the maximum allowed size');
    this.#tickets.set(stored.key, next);
  }

  /** Thread keys, a message and its events: one batch write of whole items (a put replaces), each size-checked first. */
  /** Thread keys, the message (null: left as it is) and events, each size-checked as the adapter's items are. */
  #putThreadItems(ticketKey: string, threadKeys: [string, ThreadKeyExtra][], message: ThreadMessage | null, causeKey: string, events: TicketEvent[]): void {
    for (const item of [...threadKeys.map(([id, extra]) => threadKeyItem(id, ticketKey, extra)), ...(message ? [messageToItem(message)] : []), ...eventItems(ticketKey, causeKey, events)]) assertItemSize(item as Item);
    for (const [id, extra] of threadKeys) {
      this.#threadKeys.set(id, { ticketKey, ...(extra.role ? { role: extra.role } : {}), ...(extra.incident ? { incident: extra.incident } : {}), ...(extra.sentTo?.length ? { sentTo: stringSet(extra.sentTo) } : {}) });
    }
    if (message) {
      const messages = this.#messages.get(ticketKey) ?? new Map<string, ThreadMessage>();
      messages.set(message.key, copy(message));
      this.#messages.set(ticketKey, messages);
    }
    this.#putEvents(ticketKey, causeKey, events);
  }

  #putEvents(ticketKey: string, causeKey: string, events: TicketEvent[]): void {
    if (!events.length) return;
    const stored = this.#events.get(ticketKey) ?? new Map<string, TicketEvent>();
    events.forEach((e, i) => stored.set(`E#${causeKey}#${i}`, copy(e)));
    this.#events.set(ticketKey, stored);
  }

  #putReceipts(receipts: ReceiptRecord[]): void {
    receipts.forEach((r) => assertItemSize(receiptToItem(r)));
    for (const r of receipts) this.#receipts.set(r.id, copy(r));
  }

  #receiptsOf(ids: string[]): ReceiptRecord[] {
    return [...new Set(ids)].flatMap((id) => (this.#receipts.has(id) ? [copy(this.#receipts.get(id)!)] : []));
  }

  #openTicketsOf(address: string, since: string): Ticket[] {
    return [...this.#tickets.values()]
      .filter((t) => this.#indexed(t) && t.requester === address && t.lastActivityAt >= since)
      .sort(byTime((t) => t.lastActivityAt, (t) => t.key))
      .map(copy);
  }

  #profileOf(address: string): RequesterProfile | null {
    const p = this.#profiles.get(address);
    if (!p) return null;
    return { address, name: p.name ?? '', firstSeenAt: p.firstSeenAt ?? '', bouncing: Boolean(p.bouncing), bounceDetail: p.bounceDetail ?? null };
  }

  #effect(planKey: string, id: string): PlannedEffect | undefined {
    return this.#plans.get(planKey)?.plan.effects.find((e) => e.id === id);
  }

  /** The adapter's conditional claim: every named effect pending, or none is claimed. */
  #claim(planKey: string, ids: string[], at: string): boolean {
    const effects = ids.map((id) => this.#effect(planKey, id));
    if (!effects.every((e) => e?.state === 'pending')) return false;
    for (const e of effects as PlannedEffect[]) Object.assign(e, { state: 'sending', claimedAt: at });
    return true;
  }
}

function folderKey(m: MailboxFolder): string {
  return `${m.account}#${m.folder}`;
}
