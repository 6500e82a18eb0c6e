import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { domainSchema as domain, emailSchema as email } from './domain/addresses.js';
import { missingInfoRulesSchema } from './domain/missing-info.js';
import { staleRulesSchema } from './domain/stale.js';
import { incidentRulesSchema } from './domain/incidents/rules.js';
import { triageRulesSchema } from './domain/triage.js';
import { closest } from './domain/did-you-mean.js';
import { gmailSchema, graphSchema, microsoftAppSchema, secretArnSchema } from './mailbox-config.js';
import { chatSchema } from './chat/config.js';


/** The one configuration schema. Every key has a default, so `{}` is a working local config. */
export const configSchema = z
  .object({
    supportAddresses: z.array(email).min(1).default(['support@example.com']),
    ticketPrefix: z
      .string()
      .regex(/^[A-Z][A-Z0-9]{1,9}$/, 'expected 2-10 capital letters/digits such as TKT')
      .default('TKT'),
    staff: z
      .object({
        addresses: z.array(email).default([]),
        domains: z.array(domain).default([]),
      })
      .strict()
      .default({ addresses: [], domains: [] }),
    staffList: email.default('it-team@example.com'),
    /** How we sign our mail: the display name on everything we send. */
    teamName: z.string().trim().min(1).max(80).default('IT Support'),
    autoReplies: z
      .object({
        enabled: z.boolean().default(true),
        /** Across concurrent Lambdas: the store counts per sender and per ticket per clock hour. */
        maxPerSenderPerHour: z.number().int().min(1).max(100).default(3),
        maxPerTicketPerHour: z.number().int().min(1).max(100).default(3),
        /** Follow-up requests for still-missing details per ticket; after that IT takes over. */
        maxFollowUpAsks: z.number().int().min(0).max(10).default(2),
        /** Tell a requester whose re-sent mail was merged that we already have it. */
        duplicateNotice: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        /**
         * New tickets one requester may open per clock hour; past it their mail is quarantined
         * with the reason (`ticketing replay` brings it in) and staff are told once.
         */
        newTicketsPerSenderPerHour: z.number().int().min(1).max(1000).default(10),
      })
      .strict()
      .prefault({}),
    lifecycle: z
      .object({
        /** A requester's reply to a ticket resolved at most this long ago reopens it; later, a new linked ticket. */
        reopenWithinDays: z.number().int().min(0).max(365).default(14),
      })
      .strict()
      .prefault({}),
    /** A support mailbox that is not on SES (Microsoft 365, Google Workspace, Dovecot): polled over IMAP. */
    imap: z
      .object({
        host: z.string().trim().min(1),
        port: z.number().int().min(1).max(65535).default(993),
        /** true: implicit TLS (993); false: STARTTLS, required unless plain is allowed on loopback. */
        secure: z.boolean().default(true),
        user: z.string().trim().min(1),
        password: z.string().min(1).optional(),
        /** The password kept in AWS Secrets Manager (the secret's string value). */
        passwordSecretArn: secretArnSchema.optional(),
        /** A fixed OAuth2 access token (XOAUTH2), which nothing refreshes: for tests and short trials. */
        accessToken: z.string().min(1).optional(),
        /**
         * Microsoft 365 without a password: the app's token (XOAUTH2) from the client-credentials
         * flow, fetched and refreshed before it expires (the app needs IMAP.AccessAsApp).
         */
        oauth2: microsoftAppSchema.optional(),
        folder: z.string().min(1).default('INBOX'),
        processedFolder: z.string().min(1).default('Processed'),
        /** Plain-text IMAP only to 127.0.0.1/::1, and only when this says so (local Dovecot, tests). */
        allowPlainOnLoopback: z.boolean().default(false),
        /** At most this many messages per run: a poll stays inside its Lambda's time. */
        batchSize: z.number().int().min(1).max(500).default(50),
        /**
         * The authserv-id of the Authentication-Results header this mailbox's own server writes
         * on top of every incoming mail: `mx.google.com` (Gmail, Google Workspace), `""` for
         * Microsoft 365 (its header names none), your MTA's name for Postfix with OpenDMARC.
         * Unset: headers grant nothing, so no mail from this mailbox has staff powers.
         */
        authservId: z.string().trim().toLowerCase().max(255).optional(),
      })
      .strict()
      .refine((i) => [i.password, i.passwordSecretArn, i.accessToken, i.oauth2].filter((x) => x !== undefined).length === 1, {
        message: 'give exactly one of password, passwordSecretArn, accessToken or oauth2',
      })
      .optional(),
    /** A Microsoft 365 support mailbox read through Microsoft Graph with an app's own credentials. */
    graph: graphSchema.optional(),
    /** A Google Workspace support mailbox read through the Gmail API with a service account. */
    gmail: gmailSchema.optional(),
    /** When tickets go stale, reminders to quiet requesters, and the daily digest to IT. */
    stale: staleRulesSchema.prefault({}),
    /** Ticket events for chat or paging: published to this SNS topic when set. */
    events: z
      .object({
        snsTopicArn: z
          .string()
          .regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]{1,256}$/, 'expected an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:tickets')
          .nullable()
          .default(null),
      })
      .strict()
      .prefault({}),
    /** Slack and Microsoft Teams channels the ticket events are posted to (src/chat/). */
    chat: chatSchema,
    /** Category and priority rules; every part has built-in defaults, a user file overrides a part. */
    triage: triageRulesSchema.prefault({}),
    /** Details each category needs before work can start, and how to ask for them. */
    missingInfo: missingInfoRulesSchema.prefault({}),
    /** When several people's reports of one outage become an incident (src/domain/incidents/). */
    incidents: incidentRulesSchema.prefault({}),
    duplicates: z
      .object({
        /** A new mail may merge into an open ticket of the same requester active within this window. */
        windowHours: z.number().positive().max(24 * 90).default(72),
        /** Word-shingle similarity (0..1) at or above which two mails are the same request. */
        threshold: z.number().min(0.5).max(1).default(0.8),
      })
      .strict()
      .default({ windowHours: 72, threshold: 0.8 }),
    mail: z
      .object({
        /** Larger raw messages are quarantined unparsed (SES itself stops at 40 MB). */
        maxMessageBytes: z.number().int().positive().default(40 * 1024 * 1024),
        /** More header lines than this is a malformed or hostile message. */
        maxHeaderLines: z.number().int().positive().default(2000),
      })
      .strict()
      .prefault({}),
    /** The web surface (src/http/): the request form, the REST API and the requesters' status pages. */
    web: z
      .object({
        /** Where links in our mail point (the status page): the form's and API's public address, no trailing slash. */
        baseUrl: z
          .string()
          .url()
          .regex(/^https?:\/\/[^/]+(\/[^?#]*[^/?#])?$/, 'expected an http(s) URL without a trailing slash, query or fragment, e.g. https://help.northwind.example')
          .default('http://127.0.0.1:8080'),
        /**
         * Keys that sign status links, newest first: the first signs, every one is accepted (add a
         * new key in front to rotate, drop the last one later). On AWS, prefer linkKeysSecretArn.
         */
        linkKeys: z.array(z.string().min(32, 'a link key needs at least 32 characters')).max(5).default([]),
        /** The link keys kept in AWS Secrets Manager: the secret's string is the keys, one per line, newest first. */
        linkKeysSecretArn: secretArnSchema.optional(),
        /** How long a status link in a mail keeps working. */
        statusLinkDays: z.number().int().min(1).max(365).default(90),
        form: z
          .object({
            enabled: z.boolean().default(true),
            maxAttachments: z.number().int().min(0).max(10).default(3),
            /** Per attachment. */
            maxAttachmentBytes: z.number().int().min(1).max(20 * 1024 * 1024).default(3 * 1024 * 1024),
            /**
             * The whole form with its files. On AWS a Lambda takes at most 6 MB per request, which
             * API Gateway sends base64-encoded: about 4.4 MB of form, so more fails before our code.
             */
            maxRequestBytes: z.number().int().min(64 * 1024).max(64 * 1024 * 1024).default(4 * 1024 * 1024),
            /** Content types a form attachment may have (exact, or `image/*`). */
            attachmentTypes: z
              .array(z.string().regex(/^[a-z]+\/([\w.+-]+|\*)$/, 'expected a content type such as image/png or image/*'))
              .default(['image/*', 'application/pdf', 'text/plain', 'text/csv', 'application/zip', 'application/json']),
            maxDescriptionChars: z.number().int().min(100).max(100_000).default(20_000),
            /** Submissions per clock hour, counted in the store so they hold across processes. */
            perAddressPerHour: z.number().int().min(1).max(1000).default(5),
            perClientPerHour: z.number().int().min(1).max(10_000).default(20),
            /** Cloudflare Turnstile: the widget's site key and the server-side secret; off when unset. */
            turnstile: z
              .object({
                siteKey: z.string().min(1),
                secretKey: z.string().min(1),
                /** Where the token is checked: Cloudflare's siteverify; plain http only to loopback (tests). */
                verifyUrl: z
                  .string()
                  .url()
                  .refine((u) => u.startsWith('https://') || /^http:\/\/127\.0\.0\.1(:\d+)?\//.test(u), 'expected an https URL (plain http only to 127.0.0.1)')
                  .default('https://challenges.cloudflare.com/turnstile/v0/siteverify'),
              })
              .strict()
              .optional(),
          })
          .strict()
          .prefault({}),
        /** API requests per key per clock hour. */
        apiPerKeyPerHour: z.number().int().min(1).max(1_000_000).default(3600),
        /** The staff console (`/console`): signed in by a one-time link mailed to a staff address. */
        console: z
          .object({
            enabled: z.boolean().default(true),
            /** How long a mailed sign-in link works (once, in the browser that asked for it). */
            signInMinutes: z.number().int().min(1).max(60).default(15),
            /** A session ends after this long without a request… */
            idleMinutes: z.number().int().min(5).max(24 * 60).default(60),
            /** …and this long after sign-in, whatever happens. */
            sessionHours: z.number().int().min(1).max(24 * 7).default(12),
            /** Sign-in requests per clock hour, counted in the store. */
            perAddressPerHour: z.number().int().min(1).max(100).default(5),
            perClientPerHour: z.number().int().min(1).max(1000).default(20),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    aws: z
      .object({
        region: z.string().min(1).default('eu-west-1'),
        tableName: z.string().min(3).default('tickets'),
        bucket: z.string().min(3).default('ticketing-mail'),
        /** Where the SES receipt rule's S3 action writes raw mail. */
        inboundPrefix: z.string().default('inbound/'),
      })
      .strict()
      .default({ region: 'eu-west-1', tableName: 'tickets', bucket: 'ticketing-mail', inboundPrefix: 'inbound/' }),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates a config object; errors name the key path and what was wrong. */
export function parseConfig(input: unknown, source = 'config'): Config {
  const result = configSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : '(top level)';
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length ? ` in ${path}` : '';
      const known = keysAt(configSchema, issue.path);
      const hints = issue.keys.flatMap((k) => {
        const near = closest(k, known);
        return near ? [issue.keys.length > 1 ? `"${near}" for "${k}"` : `"${near}"`] : [];
      });
      const hint = hints.length ? ` (did you mean ${hints.join(', ')}?)` : '';
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${where}${hint}`;
    }
    return `${path}: ${issue.message}`;
  });
  return raise(`${source} is invalid: ${problems.join('; ')}`);
}

/** zod's own definition of a schema, as far as finding an object's keys needs it. */
interface SchemaDef {
  type: string;
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  innerType?: { _zod: { def: SchemaDef } };
  in?: { _zod: { def: SchemaDef } };
  element?: { _zod: { def: SchemaDef } };
  valueType?: { _zod: { def: SchemaDef } };
}

/** The keys the schema knows for the object at `path` (for "did you mean"); empty when it cannot tell. */
function keysAt(schema: unknown, path: PropertyKey[]): string[] {
  let def = (schema as { _zod: { def: SchemaDef } })._zod.def;
  const unwrap = () => {
    for (let next = def.innerType ?? def.in; next; next = def.innerType ?? def.in) def = next._zod.def;
  };
  unwrap();
  for (const part of path) {
    const child = def.type === 'object' ? def.shape?.[String(part)] : def.type === 'array' ? def.element : def.type === 'record' ? def.valueType : undefined;
    if (!child) return [];
    def = child._zod.def;
    unwrap();
  }
  return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

function raise(message: string): never {
  throw new ConfigError(message);
}

export function loadConfigFile(path: string | undefined): Config {
  if (!path) return parseConfig({});
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseConfig(json, `config file ${path}`);
}

/**
 * Lambda: the whole config as JSON in TICKETING_CONFIG (the CDK app writes it from the validated
 * config). TICKETING_WEB_BASE_URL, when set, is web.baseUrl: the stack knows its HTTP API's
 * address only once it is deployed.
 */
export function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = env.TICKETING_CONFIG;
  let json: unknown = {};
  if (raw) {
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new ConfigError(`environment variable TICKETING_CONFIG is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
  }
  const baseUrl = env.TICKETING_WEB_BASE_URL?.replace(/\/+$/, '');
  if (baseUrl && json && typeof json === 'object' && !Array.isArray(json)) {
    const given = json as { web?: Record<string, unknown> };
    json = { ...given, web: { ...(given.web ?? {}), baseUrl } };
  }
  return parseConfig(json, raw ? 'environment variable TICKETING_CONFIG' : 'the default config');
}
