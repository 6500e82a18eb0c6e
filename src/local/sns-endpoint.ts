/**
 * A small local stand-in for Amazon SNS (`Publish` and `CreateTopic` over the AWS Query
 * protocol, which @aws-sdk/client-sns speaks), so the real `SNSClient` can publish ticket
 * events with no AWS account. It checks what SNS checks where our code could get it wrong:
 * the topic ARN (format and region), an empty or oversized message, the subject's limits and
 * message attribute values. It does not track topics: any well-formed ARN in its region is
 * accepted, so a configured ARN works locally without CreateTopic; CreateTopic (idempotent, as
 * in SNS) just hands out `arn:aws:sns:<region>:000000000000:<name>`. With a subscriber (the chat
 * adapter) every message is handed to it after it is stored; otherwise nothing is delivered.
 *
 * Published messages are kept durably in `dir/index.jsonl`, one JSON line each, synced before
 * SNS's answer goes out; `readPublished(dir)` reads them back.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../mail/templates/render.js';
import { startSnsDelivery, type SnsSubscriber } from './sns-delivery.js';
import { appendDurably, listenOnLoopback, QueryApiError, queryErrorXml, readBody, readIndex, send } from './query-server.js';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface SnsEndpointOptions {
  /** Where published messages are stored (created if missing). */
  dir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The one region this endpoint serves, like an SNS regional endpoint; defaults to eu-west-1. */
  region?: string;
  /** Gets every stored message after the publisher's answer, as SNS delivers to a subscribed Lambda (src/local/sns-delivery.ts). */
  subscriber?: SnsSubscriber;
  /** Where the subscriber's failures are told. */
  log?: (line: string) => void;
  /** The waits before a failed delivery is tried again (default: Lambda's, about 1 and 2 minutes). */
  retryDelaysMs?: readonly number[];
}

export interface SnsEndpoint {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A message attribute as SNS hands it to subscribers (`{"Type":"String","Value":"…"}`). */
export interface PublishedAttribute {
  Type: string;
  /** Binary values are base64, as SNS delivers them. */
  Value: string;
}

/** One line of index.jsonl. */
export interface PublishedMessage {
  seq: number;
  messageId: string;
  topicArn: string;
  subject: string | null;
  message: string;
  attributes: Record<string, PublishedAttribute>;
  /** ISO 8601. */
  publishedAt: string;
}

export class SnsEndpointError extends Error {
  override name = 'SnsEndpointError';
}


const INDEX_FILE = 'index.jsonl';
const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
// SNS: message plus attributes at most 256 KiB; form-encoding can triple that, plus headroom.
const MAX_PAYLOAD_BYTES = 256 * 1024;
const MAX_BODY_BYTES = 4 * MAX_PAYLOAD_BYTES;
const MAX_ATTRIBUTES = 10;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$|^[A-Za-z0-9_-]{1,251}\.fifo$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([^:]+)$/;
const LOCAL_ACCOUNT = '000000000000';

export async function startSnsEndpoint(options: SnsEndpointOptions): Promise<SnsEndpoint> {
  const dir = resolve(options.dir);
  const region = options.region ?? 'eu-west-1';
  await mkdir(dir, { recursive: true });
  let nextSeq = (await prepareIndex(dir)) + 1;
  const delivery = options.subscriber ? await startSnsDelivery(dir, options.subscriber, await readPublished(dir), { log: options.log ?? ((line) => console.error(line)), retryDelaysMs: options.retryDelaysMs }) : null;
  // Publishes are stored one at a time so sequence numbers and index lines stay in order.
  let queue: Promise<unknown> = Promise.resolve();

  async function publish(params: URLSearchParams): Promise<string> {
    const topicArn = params.get('TopicArn');
    if (!topicArn) {
      const other = params.has('TargetArn') ? 'TargetArn' : params.has('PhoneNumber') ? 'PhoneNumber' : null;
      throw new QueryApiError(
        'InvalidParameter',
        other
          ? `Invalid parameter: ${other} (this local SNS endpoint publishes to topics only)`
          : 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
      );
    }
    checkTopicArn(topicArn, region);
    const message = params.get('Message');
    if (message === null) {
      throw new QueryApiError('ValidationError', "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null");
    }
    if (message === '') throw new QueryApiError('InvalidParameter', 'Invalid parameter: Empty message');
    const subject = params.get('Subject');
    if (subject !== null) checkSubject(subject);
    const attributes = readAttributes(params);
    const size =
      Buffer.byteLength(message) +
      Object.entries(attributes).reduce((n, [name, a]) => n + Buffer.byteLength(name) + Buffer.byteLength(a.Type) + Buffer.byteLength(a.Value), 0);
    if (size > MAX_PAYLOAD_BYTES) {
      throw new QueryApiError('InvalidParameter', `Invalid parameter: Message too long (${size} bytes with attributes; the limit is ${MAX_PAYLOAD_BYTES})`);
    }
    if (params.get('MessageStructure') === 'json') checkJsonStructure(message);

    const record: PublishedMessage = {
      seq: nextSeq++,
      messageId: randomUUID(),
      topicArn,
      subject,
      message,
      attributes,
      publishedAt: new Date().toISOString(),
    };
    await appendDurably(join(dir, INDEX_FILE), `${JSON.stringify(record)}\n`);
    delivery?.enqueue(record);
    return record.messageId;
  }

  function createTopic(params: URLSearchParams): string {
    const name = params.get('Name') ?? '';
    if (!TOPIC_NAME.test(name)) {
      throw new QueryApiError(
        'InvalidParameter',
        'Invalid parameter: Topic Name (1-256 letters, digits, hyphens and underscores; a FIFO topic ends in .fifo)',
      );
    }
    return `arn:aws:sns:${region}:${LOCAL_ACCOUNT}:${name}`;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/messages') {
      return send(res, 200, 'application/json', JSON.stringify(await readPublished(dir)));
    }
    if (req.method !== 'POST' || path !== '/') {
      return send(res, 404, 'text/plain', 'not found\n');
    }
    const requestId = randomUUID();
    try {
      const params = new URLSearchParams((await readBody(req, MAX_BODY_BYTES, () => new QueryApiError('InvalidParameter', 'Invalid parameter: Message too long'))).toString('utf8'));
      const action = params.get('Action');
      let result: string;
      if (action === 'Publish') {
        const run = queue.then(() => publish(params));
        queue = run.catch(() => undefined);
        result = `<PublishResult><MessageId>${await run}</MessageId></PublishResult>`;
      } else if (action === 'CreateTopic') {
        result = `<CreateTopicResult><TopicArn>${escapeHtml(createTopic(params))}</TopicArn></CreateTopicResult>`;
      } else {
        throw new QueryApiError('InvalidAction', `The action ${action ?? '(none)'} is not valid for this web service.`);
      }
      send(
        res,
        200,
        'text/xml',
        `<${action}Response xmlns="${SNS_XMLNS}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
      );
    } catch (err) {
      const apiError =
        err instanceof QueryApiError ? err : new QueryApiError('InternalError', (err as Error).message, 500);
      if (!(err instanceof QueryApiError)) console.error('sns-endpoint: failed to store a message', err);
      send(res, apiError.status, 'text/xml', queryErrorXml(SNS_XMLNS, apiError.code, apiError.message, apiError.status, requestId));
    }
  }

  const endpoint = await listenOnLoopback('sns-endpoint', options.port, handle, (message, cause) => new SnsEndpointError(message, { cause }));
  if (!delivery) return endpoint;
  // Closing waits for what is queued for the subscriber (a CLI run's events reach chat before it exits).
  return { ...endpoint, close: () => delivery.drain().then(() => endpoint.close()) };
}

/** The messages published to the endpoint stored in `dir`, oldest first. A torn line (crash) is skipped. */
export async function readPublished(dir: string): Promise<PublishedMessage[]> {
  return (await readIndex<PublishedMessage>(dir, (message, cause) => new SnsEndpointError(message, { cause }), 'published-message')).records;
}

function checkTopicArn(topicArn: string, region: string): void {
  const match = TOPIC_ARN.exec(topicArn);
  if (!match || !TOPIC_NAME.test(match[3]!)) {
    throw new QueryApiError('InvalidParameter', 'Invalid parameter: TopicArn');
  }
  if (match[1] !== region) {
    // A regional endpoint only knows its own region's topics.
    throw new QueryApiError('InvalidParameter', `Invalid parameter: TopicArn (the topic is in ${match[1]}; this endpoint serves ${region})`);
  }
}

function checkSubject(subject: string): void {
  if (subject === '' || [...subject].length >= 100 || /\p{Cc}/u.test(subject)) {
    throw new QueryApiError('InvalidParameter', 'Invalid parameter: Subject');
  }
}

function checkJsonStructure(message: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    parsed = null;
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { default?: unknown }).default !== 'string') {
    throw new QueryApiError('InvalidParameter', 'Invalid parameter: Message Structure - No default entry in JSON message body');
  }
}

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue|BinaryValue`. */
function readAttributes(params: URLSearchParams): Record<string, PublishedAttribute> {
  const attributes: Record<string, PublishedAttribute> = {};
  for (let i = 1; params.has(`MessageAttributes.entry.${i}.Name`); i++) {
    const prefix = `MessageAttributes.entry.${i}`;
    const name = params.get(`${prefix}.Name`)!;
    const type = params.get(`${prefix}.Value.DataType`) ?? '';
    const value = params.get(`${prefix}.Value.StringValue`) ?? params.get(`${prefix}.Value.BinaryValue`) ?? '';
    if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name) || /^(aws|amazon)\./i.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
      throw new QueryApiError('ParameterValueInvalid', `The message attribute name '${name}' is not valid.`);
    }
    const base = /^(String|Number|Binary|String\.Array)(\..+)?$/.exec(type)?.[1];
    if (!base) {
      throw new QueryApiError('ParameterValueInvalid', `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    if (value === '') {
      throw new QueryApiError('ParameterValueInvalid', `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`);
    }
    if (base === 'Number' && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)) {
      throw new QueryApiError('ParameterValueInvalid', `The message attribute '${name}' with type 'Number' must use a valid number string.`);
    }
    attributes[name] = { Type: type, Value: value };
  }
  if (Object.keys(attributes).length > MAX_ATTRIBUTES) {
    throw new QueryApiError('ParameterValueInvalid', `Number of message attributes [${Object.keys(attributes).length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  }
  return attributes;
}

/**
 * Highest sequence number in the index, so a restart continues the numbering. A torn last
 * line (crash mid-append) is closed off with a newline so the next append starts clean.
 */
async function prepareIndex(dir: string): Promise<number> {
  const file = join(dir, INDEX_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw new SnsEndpointError(`cannot read the published-message index in ${dir}`, { cause: err });
  }
  if (text && !text.endsWith('\n')) await appendDurably(file, '\n');
  let max = 0;
  for (const message of await readPublished(dir)) if (typeof message.seq === 'number') max = Math.max(max, message.seq);
  return max;
}




