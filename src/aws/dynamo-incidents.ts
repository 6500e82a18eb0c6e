/**
 * Incidents on the table: an item per incident (`INC#<n>` / `INC`) whose members are a map by
 * ticket key (so adding or removing one is an idempotent write), in one of byActivity's two
 * incident partitions (open ones by when they formed, resolved ones by when they were resolved:
 * each reading is one Query of only what it needs), and a counter that numbers them. The reports an
 * incident decision compares are the outage reports on tickets active in its window.
 */
import type { Incident, IncidentMember } from '../domain/incidents/incident.js';
import type { Ticket } from '../domain/ticket.js';
import type { IncidentBook, IncidentClaim } from '../pipeline/ports.js';
import { itemToTicket } from './dynamo-items.js';
import { keys, partitions } from './dynamo-keys.js';
import { conditional, rememberedNumber, takeRememberedNumber, type Item, type Table } from './dynamo-table.js';
import { TABLE_KEYS } from './table.js';

/** The most tickets one decision reads back (a storm of mail in 30 minutes is far fewer). */
const MAX_RECENT = 1000;

export class DynamoIncidentBook implements IncidentBook {
  constructor(private readonly table: Table) {}

  async recentReports(since: string): Promise<Ticket[]> {
    const { name, pk, sk } = TABLE_KEYS.byActivity;
    const found: Ticket[] = [];
    let start: Item | undefined;
    do {
      const { items, last } = await this.table.queryPage({
        IndexName: name,
        KeyConditionExpression: '#p = :p AND #s >= :since',
        FilterExpression: 'attribute_exists(outage) AND createdAt >= :since',
        ExpressionAttributeNames: { '#p': pk, '#s': sk },
        ExpressionAttributeValues: { ':p': partitions.allTickets, ':since': since },
        ScanIndexForward: false,
        ...(start ? { ExclusiveStartKey: start } : {}),
      });
      found.push(...items.map(itemToTicket));
      start = last;
    } while (start && found.length < MAX_RECENT);
    return found;
  }

  async nextIncidentNumber(ownerKey: string): Promise<number> {
    // Remembered on the counter under the forming ticket's key, so a replay takes the same number.
    return (await takeRememberedNumber(this.table, keys.incidentCounter, ownerKey)) ?? ((await this.table.get(keys.incidentCounter))![rememberedNumber(ownerKey)] as number);
  }

  async claimIncidentForming(claim: IncidentClaim, now: string): Promise<IncidentClaim> {
    const key = keys.incidentClaim(claim.service);
    const claimed = await conditional(
      this.table.put({
        // Expires with its window (TTL, in seconds), so claims do not pile up.
        Item: { ...key, ...claim, [TABLE_KEYS.ttl]: Math.ceil(Date.parse(claim.until) / 1000) },
        ConditionExpression: 'attribute_not_exists(pk) OR #until < :now OR #number = :number',
        ExpressionAttributeNames: { '#until': 'until', '#number': 'number' },
        ExpressionAttributeValues: { ':now': now, ':number': claim.number },
      }),
    );
    if (claimed) return claim;
    const held = (await this.table.get(key))!;
    return { service: held.service as string, number: held.number as number, site: (held.site as string | null) ?? null, floor: (held.floor as number | null) ?? null, until: held.until as string };
  }

  async createIncident(incident: Incident): Promise<Incident> {
    const created = await conditional(this.table.put({ Item: incidentToItem(incident), ConditionExpression: 'attribute_not_exists(pk)' }));
    return created ? incident : ((await this.getIncident(incident.number)) ?? incident);
  }

  async addIncidentMembers(number: number, members: IncidentMember[]): Promise<void> {
    if (!members.length) return;
    const names: Record<string, string> = { '#m': 'members' };
    const values: Record<string, unknown> = {};
    const sets = members.map((m, i) => {
      names[`#k${i}`] = m.ticketKey;
      values[`:m${i}`] = m;
      return `#m.#k${i} = :m${i}`;
    });
    await this.table.update({ Key: keys.incident(number), UpdateExpression: `SET ${sets.join(', ')}`, ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeNames: names, ExpressionAttributeValues: values });
  }

  async removeIncidentMembers(number: number, ticketKeys: string[]): Promise<void> {
    if (!ticketKeys.length) return;
    const names: Record<string, string> = { '#m': 'members' };
    const removes = ticketKeys.map((key, i) => {
      names[`#k${i}`] = key;
      return `#m.#k${i}`;
    });
    await this.table.update({ Key: keys.incident(number), UpdateExpression: `REMOVE ${removes.join(', ')}`, ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeNames: names });
  }

  async resolveIncident(number: number, at: string): Promise<void> {
    // Into the resolved partition, by when: "resolved since" is a Query from then on.
    const resolved = await this.table.update({
      ReturnValues: 'ALL_NEW',
      Key: keys.incident(number),
      UpdateExpression: 'SET #s = :resolved, resolvedAt = if_not_exists(resolvedAt, :at), #p = :part, #k = if_not_exists(resolvedAt, :at)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#s': 'status', '#p': TABLE_KEYS.byActivity.pk, '#k': TABLE_KEYS.byActivity.sk },
      ExpressionAttributeValues: { ':resolved': 'resolved', ':at': at, ':part': partitions.resolvedIncidents },
    });
    // Its claim on forming goes with it: a new outage of the service forms an incident of its own.
    await conditional(this.table.delete({ Key: keys.incidentClaim(resolved!.service as string), ConditionExpression: '#number = :number', ExpressionAttributeNames: { '#number': 'number' }, ExpressionAttributeValues: { ':number': number } }));
  }

  async getIncident(number: number): Promise<Incident | null> {
    const item = await this.table.get(keys.incident(number));
    return item ? itemToIncident(item) : null;
  }

  async openIncidents(): Promise<Incident[]> {
    return this.#query(partitions.openIncidents, null);
  }

  async resolvedIncidentsSince(since: string): Promise<Incident[]> {
    return this.#query(partitions.resolvedIncidents, since);
  }

  async listIncidents(): Promise<Incident[]> {
    const [open, resolved] = await Promise.all([this.#query(partitions.openIncidents, null), this.#query(partitions.resolvedIncidents, null)]);
    return [...open, ...resolved].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** One partition of incidents, newest first (from `since` on, when given). */
  async #query(partition: string, since: string | null): Promise<Incident[]> {
    const { name, pk, sk } = TABLE_KEYS.byActivity;
    const items = await this.table.queryAll({
      IndexName: name,
      KeyConditionExpression: since ? '#p = :p AND #s >= :since' : '#p = :p',
      ExpressionAttributeNames: { '#p': pk, ...(since ? { '#s': sk } : {}) },
      ExpressionAttributeValues: { ':p': partition, ...(since ? { ':since': since } : {}) },
      ScanIndexForward: false,
    });
    return items.map(itemToIncident);
  }
}

function incidentToItem(i: Incident): Item {
  // resolvedAt is absent until it is resolved: resolveIncident sets it only where it does not exist.
  const { members, resolvedAt, ...rest } = i;
  return {
    ...keys.incident(i.number),
    type: 'incident',
    ...rest,
    ...(resolvedAt ? { resolvedAt } : {}),
    // A map by ticket key: a member is added or removed by its key, idempotently.
    members: Object.fromEntries(members.map((m) => [m.ticketKey, m])),
    // In byActivity: open ones by when they formed, resolved ones by when they were resolved.
    [TABLE_KEYS.byActivity.pk]: resolvedAt ? partitions.resolvedIncidents : partitions.openIncidents,
    [TABLE_KEYS.byActivity.sk]: resolvedAt ?? i.createdAt,
  };
}

function itemToIncident(item: Item): Incident {
  const members = Object.values((item.members as Record<string, IncidentMember> | undefined) ?? {}).sort((a, b) => a.at.localeCompare(b.at) || a.ticketId.localeCompare(b.ticketId));
  return {
    number: item.number as number,
    id: item.id as string,
    status: item.status as Incident['status'],
    title: item.title as string,
    service: item.service as string,
    site: (item.site as string | null) ?? null,
    floor: (item.floor as number | null) ?? null,
    members,
    noticeMessageId: item.noticeMessageId as string,
    createdAt: item.createdAt as string,
    resolvedAt: (item.resolvedAt as string | null) ?? null,
  };
}
