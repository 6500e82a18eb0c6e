/**
 * `ticketing replay`: quarantined mail (or raw objects named by key) through the pipeline again,
 * once a person has decided it should be (a parser fixed, a flood judged genuine). Idempotent
 * like any delivery: a mail already done is `redelivered`, one still bad is quarantined again
 * with its reason. The mail is judged as it arrived (the receipt's source, recipients and
 * verdicts are kept with the quarantine record); only the new-ticket limit no longer applies.
 */
import type { Config } from '../config.js';
import type { Receipt } from '../domain/receipt.js';
import { processInbound, type InboundPorts, type InboundResult } from './inbound.js';
import type { ReceiptRecord } from './ports.js';

export interface Replayed extends InboundResult {
  rawKey: string;
}

/** The quarantined mail, oldest first, through the pipeline again. */
export async function replayQuarantined(ports: InboundPorts, config: Config, onResult: (r: Replayed) => void = () => undefined): Promise<Replayed[]> {
  const records = (await ports.store.listQuarantine()).sort((a, b) => a.at.localeCompare(b.at));
  return replayEach(records.map((r) => receiptOf(r, ports)), ports, config, onResult);
}

/** Raw objects by key (e.g. named by a failed-invocation record): as an S3-triggered delivery of mail SES stored. */
export async function replayRawKeys(rawKeys: string[], ports: InboundPorts, config: Config, onResult: (r: Replayed) => void = () => undefined): Promise<Replayed[]> {
  const receivedAt = ports.clock.now().toISOString();
  return replayEach(rawKeys.map((rawKey) => ({ source: 's3', rawKey, receivedAt, recipients: [], verdicts: null, replayed: true })), ports, config, onResult);
}

function receiptOf(record: ReceiptRecord, ports: InboundPorts): Receipt {
  return {
    source: record.arrival?.source ?? 's3',
    rawKey: record.rawKey,
    receivedAt: ports.clock.now().toISOString(),
    recipients: record.arrival?.recipients ?? [],
    verdicts: record.arrival?.verdicts ?? null,
    ...(record.arrival?.proof ? { proof: record.arrival.proof } : {}),
    replayed: true,
  };
}

async function replayEach(receipts: Receipt[], ports: InboundPorts, config: Config, onResult: (r: Replayed) => void): Promise<Replayed[]> {
  const out: Replayed[] = [];
  for (const receipt of receipts) {
    const result = { rawKey: receipt.rawKey, ...(await processInbound(receipt, ports, config)) };
    onResult(result);
    out.push(result);
  }
  return out;
}
