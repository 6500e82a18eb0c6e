/**
 * Effect plans on the table (src/pipeline/effects.ts). One item per plan, `O#<plan key>` / `O`:
 * the effects as a map keyed by effect id, so each can be claimed and settled by a conditional
 * update of its own path. An unsettled plan sits in the sparse `openByActivity` index under
 * `PLANS#open` (sorted by creation) for the sweeper; settling takes it out. Mail that did not go
 * out leaves a small `X#…` item under `UNDELIVERED` for the digest, deleted by TTL after 30 days.
 */
import type { EffectPlan } from '../pipeline/effects.js';
import type { EffectSettlement, PlanStore, UndeliveredMail } from '../pipeline/ports.js';
import { itemToPlan, itemToUndelivered, planToItem, undeliveredToItem } from './dynamo-items.js';
import { keys, partitions } from './dynamo-keys.js';
import { assertItemSize, conditional, type Item, type Table } from './dynamo-table.js';
import { TABLE_KEYS } from './table.js';

export class DynamoPlans implements PlanStore {
  constructor(protected readonly table: Table) {}

  async putPlan(plan: EffectPlan): Promise<EffectPlan> {
    const open = plan.effects.some((e) => e.state === 'pending');
    const item = planToItem(plan, open);
    assertItemSize(item);
    const written = await conditional(this.table.put({ Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    if (written) return plan;
    return (await this.getPlan(plan.key))!;
  }

  async getPlan(key: string): Promise<EffectPlan | null> {
    const item = await this.table.get(keys.plan(key));
    return item ? itemToPlan(item) : null;
  }

  async claimEffects(planKey: string, ids: string[], at: string): Promise<Set<string>> {
    if (!ids.length) return new Set();
    // Usually every due effect is pending: one update claims them all.
    if (await this.#claim(planKey, ids, at)) return new Set(ids);
    if (ids.length === 1) return new Set();
    // Every claim settles before a failure is reported: the caller puts back what was claimed.
    const each = await Promise.allSettled(ids.map(async (id) => ((await this.#claim(planKey, [id], at)) ? id : null)));
    const failed = each.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return new Set(each.flatMap((r) => (r.status === 'fulfilled' && r.value !== null ? [r.value] : [])));
  }

  #claim(planKey: string, ids: string[], at: string): Promise<boolean> {
    const names: Record<string, string> = { '#s': 'state', '#c': 'claimedAt' };
    ids.forEach((id, i) => (names[`#e${i}`] = id));
    return conditional(
      this.table.update({
        Key: keys.plan(planKey),
        UpdateExpression: `SET ${ids.map((_, i) => `fx.#e${i}.#s = :sending, fx.#e${i}.#c = :at`).join(', ')}`,
        ConditionExpression: ids.map((_, i) => `fx.#e${i}.#s = :pending`).join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':sending': 'sending', ':pending': 'pending', ':at': at },
      }),
    );
  }

  async releaseEffects(planKey: string, ids: string[], at: string): Promise<void> {
    await Promise.all(
      ids.map((id) =>
        conditional(
          this.table.update({
            Key: keys.plan(planKey),
            UpdateExpression: 'SET fx.#e.#s = :pending',
            ConditionExpression: 'fx.#e.#s = :sending AND fx.#e.#c = :at',
            ExpressionAttributeNames: { '#e': id, '#s': 'state', '#c': 'claimedAt' },
            ExpressionAttributeValues: { ':sending': 'sending', ':pending': 'pending', ':at': at },
          }),
        ),
      ),
    );
  }

  async settleEffects(planKey: string, settlements: EffectSettlement[], settled: boolean, undelivered: UndeliveredMail[]): Promise<void> {
    const names: Record<string, string> = { '#s': 'state', '#d': 'detail', '#p': 'providerId', '#a': 'attempts' };
    const values: Record<string, unknown> = {};
    const sets = settlements.flatMap((s, i) => {
      names[`#e${i}`] = s.id;
      values[`:s${i}`] = s.state;
      values[`:d${i}`] = s.detail;
      values[`:p${i}`] = s.providerId;
      values[`:a${i}`] = s.attempts;
      return [`fx.#e${i}.#s = :s${i}`, `fx.#e${i}.#d = :d${i}`, `fx.#e${i}.#p = :p${i}`, `fx.#e${i}.#a = :a${i}`];
    });
    if (settled) {
      names['#gp'] = TABLE_KEYS.openByActivity.pk;
      names['#gs'] = TABLE_KEYS.openByActivity.sk;
    }
    await Promise.all([
      this.table.updateExisting(keys.plan(planKey), { sets, removes: settled ? ['#gp', '#gs'] : [], adds: [], names, values }),
      undelivered.length ? this.table.batchWrite(undelivered.map(undeliveredToItem)) : null,
    ]);
  }

  async openPlans(before: string): Promise<EffectPlan[]> {
    return (await this.#partition(partitions.openPlans, '<', before)).map(itemToPlan);
  }

  async undeliveredSince(since: string): Promise<UndeliveredMail[]> {
    return (await this.#partition(partitions.undelivered, '>=', since)).map(itemToUndelivered);
  }

  /** One partition of the sparse index, by time. */
  #partition(name: string, op: '<' | '>=', at: string): Promise<Item[]> {
    return this.table.queryAll({
      IndexName: TABLE_KEYS.openByActivity.name,
      KeyConditionExpression: `#p = :p AND #s ${op} :at`,
      ExpressionAttributeNames: { '#p': TABLE_KEYS.openByActivity.pk, '#s': TABLE_KEYS.openByActivity.sk },
      ExpressionAttributeValues: { ':p': name, ':at': at },
    });
  }
}
