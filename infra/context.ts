/**
 * The deploy-time knobs, read from CDK context (`cdk.json` or `-c key=value`) and checked here,
 * so a typo fails `cdk synth` with a readable message instead of a half-built stack.
 */
import type { Node } from 'constructs';

export type Stage = 'dev' | 'prod';

/** Who has staff powers (commands, relays): TICKETING_CONFIG's `staff`, from `-c staff=…`. */
export interface StaffSetting {
  addresses: string[];
  domains: string[];
}

export interface TicketingSettings {
  /** The mail domain SES receives for, e.g. help.northwind.com (MX must point at SES inbound). */
  domain: string;
  /** The support address, e.g. support@help.northwind.com; must be in `domain`. */
  supportAddress: string;
  /** Where IT staff notifications and the digest go. */
  staffList: string;
  /** Staff addresses and domains (`-c staff=alex.kim@northwind.com,it.northwind.com`). */
  staff: StaffSetting;
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
  /** Reserved concurrency of the IMAP poller (0 disables the reservation). */
  imapConcurrency: number;
  /** The customer-managed KMS key that encrypts the IMAP password secret, if it is not aws/secretsmanager. */
  imapSecretKmsKeyArn?: string;
  /**
   * The name of a receipt rule set that is active in the account and region and may be replaced
   * by this stage's (explicit consent; without it the deploy refuses to replace another set).
   */
  replaceActiveRuleSet?: string;
  /** The custom domain of the web surface (form, status pages, API), e.g. help.northwind.com; needs webCertificateArn. */
  webDomain?: string;
  /** The ACM certificate for webDomain, in the stack's region (a regional API Gateway domain). */
  webCertificateArn?: string;
  /** The HTTP API stage's steady request rate (requests per second, all routes together). */
  webThrottleRate: number;
  /** The HTTP API stage's burst (requests above the rate it absorbs at once). */
  webThrottleBurst: number;
}

/** The context keys readSettings reads; `overrides` take the same raw values as `-c key=value`. */
export type ContextKey = keyof TicketingSettings;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const KMS_KEY_ARN = /^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/;
const ACM_CERTIFICATE_ARN = /^arn:aws[\w-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[\w-]+$/;
const RULE_SET_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$/;

/**
 * Regions where SES receives mail (the receipt rule set this stack creates exists only there).
 * From the SES "Email receiving endpoints" table of the AWS General Reference,
 * https://docs.aws.amazon.com/general/latest/gr/ses.html (section "Email receiving endpoints",
 * linked from https://docs.aws.amazon.com/ses/latest/dg/regions.html#region-receive-email): the
 * table as copied in January 2024 lists us-east-1, us-east-2, us-west-2, ca-central-1, eu-west-1,
 * eu-west-2, eu-central-1, ap-southeast-1, ap-southeast-2, ap-southeast-3 and ap-northeast-1;
 * receiving has since been added in us-west-1, eu-west-3, eu-north-1, sa-east-1, ap-south-1,
 * ap-northeast-2 and ap-northeast-3 (inbound-smtp.<region>.amazonaws.com endpoints in use). When
 * AWS adds a region, add it here; a region missing from the page fails CreateReceiptRuleSet with
 * "InvalidAction: Unavailable Operation", which this list turns into a message at synth.
 */
export const SES_RECEIVING_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
] as const;

/**
 * Domains reserved for examples and tests (RFC 2606 / RFC 6761): `.example`, `.test`, `.invalid`,
 * `.localhost` and example.com/.net/.org. Mail for them never arrives anywhere.
 */
export function isPlaceholderDomain(domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, '');
  return /(^|\.)(example|test|invalid|localhost)$/.test(d) || /(^|\.)example\.(com|net|org)$/.test(d);
}

export class ContextError extends Error {
  override name = 'ContextError';
}

/** Reads and validates the context; `overrides` win (tests pass values directly). */
export function readSettings(node: Pick<Node, 'tryGetContext'>, overrides: Partial<Record<ContextKey, unknown>> = {}): TicketingSettings {
  const get = (key: ContextKey): unknown => (key in overrides ? overrides[key] : node.tryGetContext(key));
  const str = (key: ContextKey): string | undefined => {
    const v = get(key);
    if (v === undefined || v === null || v === '') return undefined;
    return String(v).trim();
  };
  const required = (key: ContextKey, hint: string): string => {
    const v = str(key);
    if (!v) throw new ContextError(`context "${key}" is required (${hint}): cdk deploy -c ${key}=...`);
    return v;
  };
  const wholeNumber = (key: ContextKey, fallback: number, max: number, min = 0): number => {
    const text = str(key) ?? String(fallback);
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw new ContextError(`context "${key}" must be a whole number ${min}-${max}, got "${text}"`);
    return n;
  };

  const domain = required('domain', 'the mail domain SES receives for, a subdomain dedicated to support such as help.northwind.com').toLowerCase();
  if (!DOMAIN.test(domain)) throw new ContextError(`context "domain": "${domain}" is not a domain name`);
  const supportAddress = required('supportAddress', 'e.g. support@help.northwind.com').toLowerCase();
  if (!EMAIL.test(supportAddress)) throw new ContextError(`context "supportAddress": "${supportAddress}" is not an email address`);
  if (supportAddress.split('@')[1] !== domain) {
    throw new ContextError(`context "supportAddress": ${supportAddress} is not in the domain ${domain} the receipt rule receives for`);
  }
  if (supportAddress.split('@')[0]!.includes('+')) throw new ContextError('context "supportAddress" must not be plus-addressed: the tags are added per ticket');
  const staffList = required('staffList', 'where IT staff notifications go, e.g. it-team@northwind.com').toLowerCase();
  if (!EMAIL.test(staffList)) throw new ContextError(`context "staffList": "${staffList}" is not an email address`);
  const staff = readStaff(get('staff'), { supportAddress, domain });

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
  const alarmEmail = str('alarmEmail')?.toLowerCase();
  if (alarmEmail && !EMAIL.test(alarmEmail)) throw new ContextError(`context "alarmEmail": "${alarmEmail}" is not an email address`);

  const region = str('region') ?? 'eu-west-1';
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) throw new ContextError(`context "region": "${region}" is not an AWS region`);
  if (!(SES_RECEIVING_REGIONS as readonly string[]).includes(region)) {
    throw new ContextError(
      `context "region": SES does not receive mail in ${region}, so the receipt rule cannot exist there. ` +
        `Regions with SES email receiving: ${SES_RECEIVING_REGIONS.join(', ')} (https://docs.aws.amazon.com/general/latest/gr/ses.html, "Email receiving endpoints")`,
    );
  }
  const account = str('account');
  if (account && !/^\d{12}$/.test(account)) throw new ContextError(`context "account": "${account}" is not a 12-digit account id`);

  const inboundConcurrency = wholeNumber('inboundConcurrency', 10, 1000);
  const imapConcurrency = wholeNumber('imapConcurrency', 1, 1000);
  const imapSecretKmsKeyArn = str('imapSecretKmsKeyArn');
  if (imapSecretKmsKeyArn && !KMS_KEY_ARN.test(imapSecretKmsKeyArn)) {
    throw new ContextError(`context "imapSecretKmsKeyArn": "${imapSecretKmsKeyArn}" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>; an alias ARN cannot be granted)`);
  }
  const replaceActiveRuleSet = str('replaceActiveRuleSet');
  if (replaceActiveRuleSet && !RULE_SET_NAME.test(replaceActiveRuleSet)) {
    throw new ContextError(`context "replaceActiveRuleSet": "${replaceActiveRuleSet}" is not a receipt rule set name`);
  }

  // The web surface. A regional API Gateway domain takes a certificate of its own region only.
  const webDomain = str('webDomain')?.toLowerCase().replace(/\.$/, '');
  if (webDomain && !DOMAIN.test(webDomain)) throw new ContextError(`context "webDomain": "${webDomain}" is not a domain name`);
  const webCertificateArn = str('webCertificateArn');
  if (Boolean(webDomain) !== Boolean(webCertificateArn)) {
    throw new ContextError('context "webDomain" and "webCertificateArn" go together: the custom domain of the web surface and its ACM certificate (-c webDomain=help.northwind.com -c webCertificateArn=arn:aws:acm:…)');
  }
  if (webCertificateArn) {
    const certRegion = ACM_CERTIFICATE_ARN.exec(webCertificateArn)?.[1];
    if (!certRegion) throw new ContextError(`context "webCertificateArn": "${webCertificateArn}" is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)`);
    if (certRegion !== region) {
      throw new ContextError(`context "webCertificateArn": the certificate is in ${certRegion}, the stack in ${region}: a regional API Gateway domain needs a certificate issued (or imported) in ${region}`);
    }
  }
  // API Gateway's account-level limits are 10,000 requests per second with a burst of 5,000: a stage cannot exceed them.
  const webThrottleRate = wholeNumber('webThrottleRate', 20, 10_000, 1);
  const webThrottleBurst = wholeNumber('webThrottleBurst', 50, 5_000, 1);

  // A real deployment must not carry the placeholders of cdk.json along: mail to them goes nowhere,
  // and placeholder staff would hand nobody (or a stranger's domain) staff power. Only a stack whose
  // own domain is a placeholder (the offline `npm run synth`, the tests) may use them.
  if (!isPlaceholderDomain(domain)) {
    const placeholders: Array<[ContextKey, string]> = [
      ['staffList', staffList],
      ...(alarmEmail ? ([['alarmEmail', alarmEmail]] as Array<[ContextKey, string]>) : []),
      ...staff.addresses.map((a): [ContextKey, string] => ['staff', a]),
      ...staff.domains.map((d): [ContextKey, string] => ['staff', d]),
    ];
    for (const [key, value] of placeholders) {
      if (isPlaceholderDomain(value.slice(value.lastIndexOf('@') + 1))) {
        throw new ContextError(
          `context "${key}": "${value}" is a placeholder (an example domain, as in cdk.json) while "domain" is the real ${domain}: deploy with -c ${key}=… naming your own ${key === 'staff' ? 'staff addresses and domains' : 'address'}`,
        );
      }
    }
  }

  return {
    domain,
    supportAddress,
    staffList,
    staff,
    stage,
    scheduleHour,
    timeZone,
    ...(alarmEmail ? { alarmEmail } : {}),
    region,
    ...(account ? { account } : {}),
    inboundConcurrency,
    imapConcurrency,
    ...(imapSecretKmsKeyArn ? { imapSecretKmsKeyArn } : {}),
    ...(replaceActiveRuleSet ? { replaceActiveRuleSet } : {}),
    ...(webDomain && webCertificateArn ? { webDomain, webCertificateArn } : {}),
    webThrottleRate,
    webThrottleBurst,
  };
}

const STAFF_HINT = 'IT staff addresses and domains, comma-separated; an entry with @ is an address, one without a domain: -c staff=alex.kim@northwind.com,it.northwind.com';

/** `staff` from `-c staff=a@x.com,it.x.com` (or a JSON array in cdk.json). */
function readStaff(value: unknown, own: { supportAddress: string; domain: string }): StaffSetting {
  const entries = (Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : String(value).split(','))
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  if (!entries.length) throw new ContextError(`context "staff" is required (${STAFF_HINT})`);
  const staff: StaffSetting = { addresses: [], domains: [] };
  for (const entry of entries) {
    if (entry.includes('@')) {
      if (!EMAIL.test(entry)) throw new ContextError(`context "staff": "${entry}" is not an email address (${STAFF_HINT})`);
      if (entry === own.supportAddress) throw new ContextError(`context "staff": ${entry} is the support address itself; staff are the people who answer it`);
      if (!staff.addresses.includes(entry)) staff.addresses.push(entry);
    } else {
      if (!DOMAIN.test(entry)) throw new ContextError(`context "staff": "${entry}" is neither an address nor a domain name (${STAFF_HINT})`);
      // Our own (support) domain only sends what we send: as a staff domain it would make our own mail staff.
      if (entry === own.domain) throw new ContextError(`context "staff": ${entry} is the support domain; name your staff's own domain (e.g. it.northwind.com)`);
      if (!staff.domains.includes(entry)) staff.domains.push(entry);
    }
  }
  return staff;
}

/**
 * The local dates in `year` on which `hour`:00 does not exist in `timeZone` (the hour the clocks
 * skip when daylight saving time starts): a daily schedule at that hour does not run that day.
 * Sampled every 15 minutes across the year (zones shift by 30 or 60 minutes).
 */
export function skippedScheduleDays(timeZone: string, hour: number, year: number): string[] {
  const key = `${timeZone} ${hour} ${year}`;
  let days = skippedCache.get(key);
  if (!days) skippedCache.set(key, (days = findSkippedDays(timeZone, hour, year)));
  return [...days];
}

const skippedCache = new Map<string, string[]>();

function findSkippedDays(timeZone: string, hour: number, year: number): string[] {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const seen = new Set<string>();
  const days = new Set<string>();
  const wanted = String(hour).padStart(2, '0');
  // From a day before to a day after the year, so every local day of the year is fully sampled.
  for (let t = Date.UTC(year, 0, 1) - 86_400_000; t < Date.UTC(year + 1, 0, 1) + 86_400_000; t += 15 * 60_000) {
    const parts = Object.fromEntries(format.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    const day = `${parts.year}-${parts.month}-${parts.day}`;
    if (parts.year !== String(year)) continue;
    days.add(day);
    if (parts.hour === wanted && parts.minute === '00') seen.add(day);
  }
  return [...days].filter((d) => !seen.has(d)).sort();
}
