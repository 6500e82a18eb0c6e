/**
 * What 10,000 tickets a month cost on AWS, from what the bench counted: the fixture corpus's
 * DynamoDB capacity, S3 requests, SES sends and SNS publishes per ticket (dynamo-paths.ts),
 * the stale job's and the sweep's capacity on a 10k-ticket table (stale-reads.ts), and the CPU
 * time of processInbound (stages.ts) for Lambda's duration. Beside it, one help-desk seat.
 *
 * Prices: public on-demand list prices, us-east-1, as published on the pages cited below in
 * 2025 (read by hand; the bench does not fetch them), before free tiers. Update PRICES and
 * PRICES_AS_OF together.
 */
import type { PathCounts } from './dynamo-paths.js';
import type { StaleReads } from './stale-reads.js';

export const PRICES_AS_OF = '2025-06, us-east-1';

export const PRICES = {
  // https://aws.amazon.com/ses/pricing/ : receiving $0.10 per 1,000 mails plus $0.09 per 1,000
  // incoming mail chunks of 256 KB; sending $0.10 per 1,000 mails plus $0.12 per GB of attachments.
  sesInboundPer1000Mails: 0.1,
  sesInboundPer1000Chunks: 0.09,
  sesOutboundPer1000Mails: 0.1,
  sesOutboundPerGbAttachments: 0.12,
  // https://aws.amazon.com/lambda/pricing/ : Arm, first 7.5 billion GB-s a month; requests.
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  // https://aws.amazon.com/dynamodb/pricing/on-demand/ : on-demand (after the November 2024
  // price cut), Standard table class; storage per GB-month beyond the free 25 GB.
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  dynamoPerGbMonth: 0.25,
  // https://aws.amazon.com/s3/pricing/ : S3 Standard, first 50 TB; PUT/COPY/POST/LIST and GET per 1,000.
  s3PerGbMonth: 0.023,
  s3Per1000Puts: 0.005,
  s3Per1000Gets: 0.0004,
  // https://aws.amazon.com/sns/pricing/ : standard topic publishes (the ticket events).
  snsPerMillionPublishes: 0.5,
};

// https://www.zendesk.com/pricing/ : Suite Team, per agent and month, billed annually (2025).
export const HELPDESK_SEAT = { name: 'Zendesk Suite Team seat', perMonth: 55, asOf: '2025-06' };

/**
 * Lambda's duration is not measured on Lambda: it is modelled from what was measured. Each
 * figure here is an assumption, said as one.
 */
const ASSUME = {
  /** Lambda gives a function CPU in proportion to memory: one vCPU at 1,769 MB. */
  cpuShareInbound: 1024 / 1769,
  inboundGb: 1,
  staleGb: 0.5,
  /** One DynamoDB round trip in the region, ms. */
  dynamoRoundTripMs: 6,
  /** One SES SendRawEmail (the sends of one mail go out together), ms. */
  sesSendMs: 40,
  s3RequestMs: 20,
  /** Share of inbound invocations that start cold (a few mails an hour keep few containers warm). */
  coldShare: 0.25,
  /** Months of tickets and mail kept when storage is counted. */
  monthsKept: 12,
  /** Raw mail plus its extracted attachments and kept texts: about twice the raw bytes in S3. */
  s3BytesPerRawByte: 2,
  staleRunsPerMonth: 30,
  sweepsPerMonth: 30 * 24 * 6,
};

export interface CostLine {
  service: 'SES' | 'Lambda' | 'DynamoDB' | 'S3' | 'SNS';
  what: string;
  quantity: number;
  unit: string;
  monthly: number;
}

export interface CostResults {
  lines: CostLine[];
  total: number;
  sesTotal: number;
  nonSesShare: number;
  perTicket: { inboundMails: number; sends: number; readUnits: number; writeUnits: number };
  assumptions: typeof ASSUME;
}

const GB = 1024 ** 3;

export function costPer10k(paths: PathCounts, staleAt10k: StaleReads, processCpuMsPerMail: number, inboundImportCpuMs: number): CostResults {
  const scale = 10_000 / paths.tickets;
  const sum = (f: (m: PathCounts['mails'][number]) => number) => paths.mails.reduce((n, m) => n + f(m), 0) * scale;
  const inboundMails = sum(() => 1);
  const chunks = sum((m) => Math.max(1, Math.ceil(m.rawBytes / (256 * 1024))));
  const sends = sum((m) => m.sesSends);
  const lambdaMs = sum(
    (m) =>
      processCpuMsPerMail / ASSUME.cpuShareInbound +
      m.roundTrips * ASSUME.dynamoRoundTripMs +
      (m.sesSends ? ASSUME.sesSendMs : 0) +
      (m.s3Gets + Math.max(0, m.s3Puts - 1)) * ASSUME.s3RequestMs,
  );
  const initMs = inboundMails * ASSUME.coldShare * (inboundImportCpuMs / ASSUME.cpuShareInbound);
  const staleJobMs = (staleAt10k.job.readRequests + staleAt10k.job.writeRequests) * ASSUME.dynamoRoundTripMs + 500;
  const sweepMs = staleAt10k.sweep.readRequests * ASSUME.dynamoRoundTripMs + 20;
  const readUnits = sum((m) => m.capacity.readUnits) + ASSUME.staleRunsPerMonth * staleAt10k.job.readUnits + ASSUME.sweepsPerMonth * staleAt10k.sweep.readUnits;
  const writeUnits = sum((m) => m.capacity.writeUnits) + ASSUME.staleRunsPerMonth * staleAt10k.job.writeUnits + ASSUME.sweepsPerMonth * staleAt10k.sweep.writeUnits;
  const keptTickets = 10_000 * ASSUME.monthsKept;
  const dynamoGb = ((paths.tableBytes / paths.tickets) * keptTickets) / GB;
  const s3Gb = ((sum((m) => m.rawBytes) / 10_000) * ASSUME.s3BytesPerRawByte * keptTickets) / GB;
  const gbSeconds = ((lambdaMs + initMs) / 1000) * ASSUME.inboundGb + ((ASSUME.staleRunsPerMonth * staleJobMs + ASSUME.sweepsPerMonth * sweepMs) / 1000) * ASSUME.staleGb;
  const p = PRICES;
  const lines: CostLine[] = [
    { service: 'SES', what: 'mails received', quantity: inboundMails, unit: 'mails', monthly: (inboundMails / 1000) * p.sesInboundPer1000Mails },
    { service: 'SES', what: 'incoming 256 KB chunks', quantity: chunks, unit: 'chunks', monthly: (chunks / 1000) * p.sesInboundPer1000Chunks },
    { service: 'SES', what: 'mails sent (no attachments)', quantity: sends, unit: 'mails', monthly: (sends / 1000) * p.sesOutboundPer1000Mails },
    { service: 'Lambda', what: 'invocations (inbound, stale, sweep)', quantity: inboundMails + ASSUME.staleRunsPerMonth + ASSUME.sweepsPerMonth, unit: 'requests', monthly: ((inboundMails + ASSUME.staleRunsPerMonth + ASSUME.sweepsPerMonth) / 1e6) * p.lambdaPerMillionRequests },
    { service: 'Lambda', what: 'Arm duration, init included (modelled)', quantity: gbSeconds, unit: 'GB-s', monthly: gbSeconds * p.lambdaArmPerGbSecond },
    { service: 'DynamoDB', what: 'write request units', quantity: writeUnits, unit: 'WRU', monthly: (writeUnits / 1e6) * p.dynamoPerMillionWriteUnits },
    { service: 'DynamoDB', what: 'read request units', quantity: readUnits, unit: 'RRU', monthly: (readUnits / 1e6) * p.dynamoPerMillionReadUnits },
    { service: 'DynamoDB', what: `storage, ${ASSUME.monthsKept} months kept`, quantity: dynamoGb, unit: 'GB-month', monthly: dynamoGb * p.dynamoPerGbMonth },
    { service: 'S3', what: 'PUT requests (SES action, attachments, texts)', quantity: sum((m) => m.s3Puts), unit: 'requests', monthly: (sum((m) => m.s3Puts) / 1000) * p.s3Per1000Puts },
    { service: 'S3', what: 'GET requests', quantity: sum((m) => m.s3Gets), unit: 'requests', monthly: (sum((m) => m.s3Gets) / 1000) * p.s3Per1000Gets },
    { service: 'S3', what: `storage, ${ASSUME.monthsKept} months kept`, quantity: s3Gb, unit: 'GB-month', monthly: s3Gb * p.s3PerGbMonth },
    { service: 'SNS', what: 'ticket events published', quantity: sum((m) => m.snsPublishes), unit: 'publishes', monthly: (sum((m) => m.snsPublishes) / 1e6) * p.snsPerMillionPublishes },
  ];
  const total = lines.reduce((n, l) => n + l.monthly, 0);
  const sesTotal = lines.filter((l) => l.service === 'SES').reduce((n, l) => n + l.monthly, 0);
  return {
    lines,
    total,
    sesTotal,
    nonSesShare: (total - sesTotal) / total,
    perTicket: { inboundMails: inboundMails / 10_000, sends: sends / 10_000, readUnits: sum((m) => m.capacity.readUnits) / 10_000, writeUnits: sum((m) => m.capacity.writeUnits) / 10_000 },
    assumptions: ASSUME,
  };
}
