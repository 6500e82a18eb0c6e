/**
 * The deploy-time knobs, read from CDK context (`cdk.json` or `-c key=value`) and checked here,
 * so a typo fails `cdk synth` with a readable message instead of a half-built stack.
 */
import type { Node } from 'constructs';

export type Stage = 'dev' | 'prod';

export interface TicketingSettings {
  /** The mail domain SES receives for, e.g. northwind.example (MX must point at SES inbound). */
  domain: string;
  /** The support address, e.g. support@northwind.example; must be in `domain`. */
  supportAddress: string;
  /** Where IT staff notifications and the digest go. */
  staffList: string;
  stage: Stage;
  /** Hour of day (0-23) the stale job and digest run, in `timeZone`. */
  scheduleHour: number;
  /** IANA time zone of the schedule. */
  timeZone: string;
  /** Optional address subscribed to the alarm topic (a confirmation mail is sent). */
  alarmEmail?: string;
  /** The region the stack deploys to; also written into the Lambdas' config. */
  region: string;
  /** Optional fixed account; without it the stack is account-agnostic. */
  account?: string;
  /** Reserved concurrency of the inbound Lambda (0 disables the reservation). */
  inboundConcurrency: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export class ContextError extends Error {
  override name = 'ContextError';
}

/** Reads and validates the context; `overrides` win (tests pass settings directly). */
export function readSettings(node: Pick<Node, 'tryGetContext'>, overrides: Partial<TicketingSettings> = {}): TicketingSettings {
  const get = <K extends keyof TicketingSettings>(key: K): unknown => (key in overrides ? overrides[key] : node.tryGetContext(key));
  const str = (key: keyof TicketingSettings): string | undefined => {
    const v = get(key);
    if (v === undefined || v === null || v === '') return undefined;
    return String(v).trim();
  };
  const required = (key: keyof TicketingSettings, hint: string): string => {
    const v = str(key);
    if (!v) throw new ContextError(`context "${key}" is required (${hint}): cdk deploy -c ${key}=...`);
    return v;
  };

  const domain = required('domain', 'the mail domain SES receives for, e.g. northwind.example').toLowerCase();
  if (!DOMAIN.test(domain)) throw new ContextError(`context "domain": "${domain}" is not a domain name`);
  const supportAddress = required('supportAddress', 'e.g. support@northwind.example').toLowerCase();
  if (!EMAIL.test(supportAddress)) throw new ContextError(`context "supportAddress": "${supportAddress}" is not an email address`);
  if (supportAddress.split('@')[1] !== domain) {
    throw new ContextError(`context "supportAddress": ${supportAddress} is not in the domain ${domain} the receipt rule receives for`);
  }
  if (supportAddress.split('@')[0]!.includes('+')) throw new ContextError('context "supportAddress" must not be plus-addressed: the tags are added per ticket');
  const staffList = required('staffList', 'where IT staff notifications go, e.g. it-team@northwind.example').toLowerCase();
  if (!EMAIL.test(staffList)) throw new ContextError(`context "staffList": "${staffList}" is not an email address`);

  const stage = str('stage') ?? 'dev';
  if (stage !== 'dev' && stage !== 'prod') throw new ContextError(`context "stage" must be dev or prod, got "${stage}"`);

  const hourText = str('scheduleHour') ?? '8';
  const scheduleHour = Number(hourText);
  if (!Number.isInteger(scheduleHour) || scheduleHour < 0 || scheduleHour > 23) {
    throw new ContextError(`context "scheduleHour" must be a whole hour 0-23, got "${hourText}"`);
  }
  const timeZone = str('timeZone') ?? 'Europe/Amsterdam';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ContextError(`context "timeZone": "${timeZone}" is not an IANA time zone such as Europe/Amsterdam`);
  }
  const alarmEmail = str('alarmEmail');
  if (alarmEmail && !EMAIL.test(alarmEmail)) throw new ContextError(`context "alarmEmail": "${alarmEmail}" is not an email address`);

  const region = str('region') ?? 'eu-west-1';
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) throw new ContextError(`context "region": "${region}" is not an AWS region`);
  const account = str('account');
  if (account && !/^\d{12}$/.test(account)) throw new ContextError(`context "account": "${account}" is not a 12-digit account id`);

  const concurrencyText = str('inboundConcurrency') ?? '10';
  const inboundConcurrency = Number(concurrencyText);
  if (!Number.isInteger(inboundConcurrency) || inboundConcurrency < 0 || inboundConcurrency > 1000) {
    throw new ContextError(`context "inboundConcurrency" must be a whole number 0-1000, got "${concurrencyText}"`);
  }

  return {
    domain,
    supportAddress,
    staffList,
    stage,
    scheduleHour,
    timeZone,
    ...(alarmEmail ? { alarmEmail } : {}),
    region,
    ...(account ? { account } : {}),
    inboundConcurrency,
  };
}
