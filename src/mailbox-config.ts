/**
 * The configuration of the mailbox APIs a support mailbox can be read through when it is not on
 * SES: Microsoft 365 (Graph, and IMAP with an app's token) and Google Workspace (the Gmail API).
 * App-only credentials throughout: no person signs in, there is no redirect URL.
 */
import * as z from 'zod';
import { emailSchema as email } from './domain/addresses.js';

export const secretArnSchema = z.string().regex(/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+$/, 'expected a Secrets Manager secret ARN');

/** An https URL, or plain http to 127.0.0.1 (the local stand-ins in tests); no trailing slash. */
const endpoint = (fallback: string) =>
  z
    .string()
    .url()
    .refine((u) => u.startsWith('https://') || /^http:\/\/127\.0\.0\.1(:\d+)?(\/|$)/.test(u), 'expected an https URL (plain http only to 127.0.0.1)')
    .transform((u) => u.replace(/\/+$/, ''))
    .default(fallback);

/**
 * An app registered in Microsoft Entra ID, signing in as itself (the client-credentials flow).
 * Its credential: a client secret, or a certificate (the app signs a JWT assertion with the key).
 * `credentialsSecretArn`'s value is JSON: `{"clientSecret": "…"}` or
 * `{"certificatePem": "…", "privateKeyPem": "…"}`; `clientSecret` inline is for local use only.
 */
export const microsoftAppSchema = z
  .object({
    /** The directory (tenant) id, a GUID, or its primary domain (northwind.onmicrosoft.com). */
    tenantId: z.string().regex(/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9.-]+\.[a-z]{2,})$/i, 'expected the tenant GUID or its domain such as northwind.onmicrosoft.com'),
    /** The application (client) id, a GUID. */
    clientId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected the application (client) id, a GUID'),
    credentialsSecretArn: secretArnSchema.optional(),
    clientSecret: z.string().min(1).optional(),
    /** Microsoft's identity platform; another cloud's (login.microsoftonline.us) or a local stand-in. */
    loginEndpoint: endpoint('https://login.microsoftonline.com'),
  })
  .strict()
  .refine((a) => (a.credentialsSecretArn === undefined) !== (a.clientSecret === undefined), {
    message: 'give exactly one of credentialsSecretArn or clientSecret',
  });

export type MicrosoftApp = z.infer<typeof microsoftAppSchema>;

const batchSize = z.number().int().min(1).max(500).default(50);

/** A Microsoft 365 support mailbox read through Microsoft Graph (src/graph/). */
export const graphSchema = z
  .object({
    app: microsoftAppSchema,
    /** The support mailbox's address (its user principal name). */
    mailbox: email,
    /** The folder new mail arrives in: a well-known name (inbox) or a folder path under the mailbox root. */
    folder: z.string().min(1).default('inbox'),
    /** Where processed mail is moved; made when missing. */
    processedFolder: z.string().min(1).default('Processed'),
    batchSize,
    /** Send our mail through Graph's sendMail from this mailbox instead of SES. */
    sendMail: z.boolean().default(false),
    /** Microsoft 365's Authentication-Results names no authserv-id: "" trusts its header. */
    authservId: z.string().trim().toLowerCase().max(255).default(''),
    graphEndpoint: endpoint('https://graph.microsoft.com'),
  })
  .strict();

/** A Google Workspace support mailbox read through the Gmail API (src/gmail/). */
export const gmailSchema = z
  .object({
    /** The support mailbox's address: the user the service account acts as (domain-wide delegation). */
    mailbox: email,
    /** The service account's JSON key, kept in Secrets Manager (the secret's string is the key file). */
    serviceAccountSecretArn: secretArnSchema.optional(),
    /** The key file's path, for local use only. */
    serviceAccountKeyFile: z.string().min(1).optional(),
    /** The label new mail carries. */
    label: z.string().min(1).default('INBOX'),
    /** The label processed mail gets (made when missing); it also loses `label`. */
    processedLabel: z.string().min(1).default('Processed'),
    batchSize,
    /** Gmail writes `Authentication-Results: mx.google.com; …` on top of every incoming mail. */
    authservId: z.string().trim().toLowerCase().max(255).default('mx.google.com'),
    tokenEndpoint: endpoint('https://oauth2.googleapis.com/token'),
    gmailEndpoint: endpoint('https://gmail.googleapis.com'),
  })
  .strict()
  .refine((g) => (g.serviceAccountSecretArn === undefined) !== (g.serviceAccountKeyFile === undefined), {
    message: 'give exactly one of serviceAccountSecretArn or serviceAccountKeyFile',
  });
