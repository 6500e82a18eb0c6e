/**
 * The checks a chat payload must pass before the fake Slack and Teams take it, from the vendors'
 * own material rather than our guesses:
 *
 * - Slack Block Kit: Slack publishes no JSON Schema, so one is generated from the TypeScript
 *   types of its npm package `@slack/types` (ts-json-schema-generator; cached under
 *   node_modules/.cache/chat-schemas/ per @slack/types version, never committed), plus the limits
 *   the types do not carry, from the block reference
 *   (https://docs.slack.dev/reference/block-kit/blocks, …/block-elements, …/composition-objects).
 * - Adaptive Cards: the card JSON schema Microsoft ships in `adaptivecards-designer` (an older
 *   draft-06 schema: it knows the element types, not every later property), AND Microsoft's own
 *   renderer `adaptivecards` parsing the card for version 1.4 (what Teams Workflows cards
 *   support: https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-reference)
 *   and validating it; its parse warnings (unknown element, property not in 1.4) count as errors.
 */
import { createRequire } from 'node:module';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type * as AdaptiveCardsModule from 'adaptivecards';

const require = createRequire(import.meta.url);

const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/chat-schemas/', import.meta.url));

/** The Block Kit schema of one block (`KnownBlock`), generated from @slack/types once per version. */
async function knownBlockSchema(): Promise<object> {
  const version = (require('@slack/types/package.json') as { version: string }).version;
  const path = join(CACHE_DIR, `slack-known-block-${version}.json`);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as object;
  } catch {
    // Not cached yet: generate it (~2 s).
  }
  const { createGenerator } = await import('ts-json-schema-generator');
  const schema = createGenerator({
    path: require.resolve('@slack/types/dist/index.d.ts'),
    type: 'KnownBlock',
    skipTypeCheck: true,
  }).createSchema('KnownBlock');
  await mkdir(CACHE_DIR, { recursive: true });
  // Two test workers may generate at once: each writes its own file and renames it into place.
  const partial = `${path}.${process.pid}.partial`;
  await writeFile(partial, JSON.stringify(schema));
  await rename(partial, path);
  return schema;
}

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
const validateBlock: ValidateFunction = ajv.compile(byType(await knownBlockSchema()));

const { adaptiveCardSchema } = require('adaptivecards-designer/lib/adaptive-card-schema.js') as { adaptiveCardSchema: { id: string } & Record<string, unknown> };
// The file still says `id` (draft-04's name) where draft-06 says `$id`; ajv 8 only takes `$id`.
const { id: cardSchemaId, ...cardSchemaRest } = adaptiveCardSchema;
const validateCardSchema: ValidateFunction = ajv.compile(byType(everyItem({ $id: cardSchemaId, ...cardSchemaRest })));

type Schema = Record<string, any>;

/**
 * The card schema writes "a list of card elements" as `items: [X], additionalItems: true`: in
 * JSON Schema that checks the first element only and lets every later one through. Read it as
 * meant, `items: X`, so every element of `body`, `items` and `actions` is checked.
 */
function everyItem(node: unknown): any {
  if (Array.isArray(node)) return node.map(everyItem);
  if (typeof node !== 'object' || node === null) return node;
  const out: Schema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, everyItem(v)]));
  if (Array.isArray(out.items) && out.items.length === 1 && out.additionalItems === true) {
    out.items = out.items[0];
    delete out.additionalItems;
  }
  return out;
}

/**
 * Both schemas list a block (or card element) as `anyOf` every kind, so one bad section block
 * fails all twenty branches and ajv reports each. Each kind names itself in `type`: check a value
 * only against the kinds of its own `type` (if/then/else), so the errors are about that kind.
 */
function byType(schema: Schema): Schema {
  const definitions: Schema = schema.definitions ?? {};
  /** The `type` values a branch takes (a $ref, an inline object, or an anyOf of those); null: not discriminated. */
  const typesOf = (branch: Schema, depth = 0): string[] | null => {
    const name = typeof branch.$ref === 'string' ? /^#\/definitions\/(.+)$/.exec(branch.$ref)?.[1] : undefined;
    const target: Schema | undefined = name ? definitions[name] : branch;
    if (!target || depth > 3) return null;
    if (Array.isArray(target.anyOf)) {
      const inner: (string[] | null)[] = target.anyOf.map((b: Schema) => typesOf(b, depth + 1));
      return inner.every((t) => t !== null) ? (inner as string[][]).flat() : null;
    }
    const type = target.properties?.type;
    if (typeof type?.const === 'string') return [type.const];
    if (Array.isArray(type?.enum) && type.enum.every((t: unknown) => typeof t === 'string')) return type.enum as string[];
    return null;
  };
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (typeof node !== 'object' || node === null) return node;
    const out: Schema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, rewrite(v)]));
    const branches = (node as Schema).anyOf;
    const kinds = Array.isArray(branches) ? branches.map((b: Schema) => typesOf(b)) : [];
    if (!kinds.length || kinds.some((k) => k === null)) return out;
    const known = [...new Set(kinds.flatMap((k) => k!))];
    let chain: Schema = { required: ['type'], properties: { type: { enum: known } } };
    for (const type of [...known].reverse()) {
      const own = branches.filter((_: unknown, i: number) => kinds[i]!.includes(type));
      chain = { if: { required: ['type'], properties: { type: { const: type } } }, then: own.length === 1 ? own[0] : { anyOf: own }, else: chain };
    }
    delete out.anyOf;
    return { ...out, allOf: [...(out.allOf ?? []), chain] };
  };
  return rewrite(schema) as Schema;
}

// The renderer's lib/ is ESM without file extensions (Node cannot load it); dist/ is its UMD bundle.
const AdaptiveCards = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsModule;

/** The Adaptive Card version our Teams cards are written for. */
export const TEAMS_CARD_VERSION = '1.4';

function ajvErrors(prefix: string, errors: ErrorObject[] | null | undefined): string[] {
  // if/then/else (see byType) adds a "must match then schema" line per level: it says nothing more.
  return (errors ?? []).filter((e) => e.keyword !== 'if').map((e) => `${prefix}${e.instancePath || '/'}: ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/** Top-level fields chat.postMessage, chat.update, incoming webhooks and response_url take. */
const SLACK_MESSAGE_FIELDS = new Set([
  'text', 'blocks', 'attachments', 'channel', 'ts', 'thread_ts', 'reply_broadcast', 'mrkdwn', 'unfurl_links', 'unfurl_media',
  'username', 'icon_emoji', 'icon_url', 'metadata', 'link_names', 'parse', 'response_type', 'replace_original', 'delete_original',
]);

/**
 * Every problem Slack would have with a message body (empty: Slack takes it). Beyond the schema:
 * the limits of https://docs.slack.dev/reference/block-kit/blocks (50 blocks, section text 3000,
 * fields 10 × 2000, header 150 plain_text, actions 25 elements, context 10 elements, ids 255) and
 * …/block-elements (button text 75, value 2000, url 3000; select options 100, option text 75,
 * value 150), …/composition-objects#confirm (title 100, text 300, buttons 30), and the top-level
 * `text` that notifications and screen readers show when there are blocks
 * (https://docs.slack.dev/reference/methods/chat.postMessage: "text" is the fallback; messages
 * over 40,000 characters are truncated).
 */
export function validateSlackMessage(body: unknown): string[] {
  const problems: string[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['the message is not a JSON object'];
  const message = body as Record<string, unknown>;
  for (const key of Object.keys(message)) if (!SLACK_MESSAGE_FIELDS.has(key)) problems.push(`unknown top-level field "${key}" (Slack ignores it: a typo?)`);
  if (typeof message.text !== 'string' || message.text.trim() === '') problems.push('no top-level "text": notifications and screen readers show nothing');
  else if (message.text.length > 40_000) problems.push(`"text" is ${message.text.length} characters; Slack truncates at 40,000`);
  if (message.blocks === undefined) return problems;
  if (!Array.isArray(message.blocks)) return [...problems, '"blocks" is not an array'];
  if (message.blocks.length > 50) problems.push(`${message.blocks.length} blocks; a message takes at most 50`);
  const blockIds = new Set<string>();
  message.blocks.forEach((block: unknown, i) => {
    if (!validateBlock(block)) {
      problems.push(...ajvErrors(`/blocks/${i}`, validateBlock.errors));
      return;
    }
    problems.push(...blockLimits(`/blocks/${i}`, block as Record<string, any>, blockIds));
  });
  return problems;
}

function tooLong(problems: string[], where: string, value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max) problems.push(`${where} is ${value.length} characters; at most ${max}`);
}

function blockLimits(where: string, block: Record<string, any>, blockIds: Set<string>): string[] {
  const problems: string[] = [];
  if (typeof block.block_id === 'string') {
    tooLong(problems, `${where}/block_id`, block.block_id, 255);
    if (blockIds.has(block.block_id)) problems.push(`${where}/block_id "${block.block_id}" is used twice in the message`);
    blockIds.add(block.block_id);
  }
  switch (block.type) {
    case 'section':
      if (block.text === undefined && block.fields === undefined) problems.push(`${where}: a section needs text or fields`);
      tooLong(problems, `${where}/text/text`, block.text?.text, 3000);
      if (Array.isArray(block.fields)) {
        if (block.fields.length > 10) problems.push(`${where}/fields has ${block.fields.length} items; at most 10`);
        block.fields.forEach((f: any, i: number) => tooLong(problems, `${where}/fields/${i}/text`, f?.text, 2000));
      }
      if (block.accessory) problems.push(...elementLimits(`${where}/accessory`, block.accessory));
      break;
    case 'header':
      if (block.text?.type !== 'plain_text') problems.push(`${where}/text: a header takes plain_text only`);
      tooLong(problems, `${where}/text/text`, block.text?.text, 150);
      break;
    case 'actions':
      if (block.elements.length > 25) problems.push(`${where}/elements has ${block.elements.length} items; at most 25`);
      block.elements.forEach((e: any, i: number) => problems.push(...elementLimits(`${where}/elements/${i}`, e)));
      break;
    case 'context':
      if (block.elements.length > 10) problems.push(`${where}/elements has ${block.elements.length} items; at most 10`);
      break;
  }
  return problems;
}

function elementLimits(where: string, element: Record<string, any>): string[] {
  const problems: string[] = [];
  tooLong(problems, `${where}/action_id`, element.action_id, 255);
  if (element.type === 'button') {
    tooLong(problems, `${where}/text/text`, element.text?.text, 75);
    tooLong(problems, `${where}/value`, element.value, 2000);
    tooLong(problems, `${where}/url`, element.url, 3000);
  }
  if (element.type === 'static_select') {
    tooLong(problems, `${where}/placeholder/text`, element.placeholder?.text, 150);
    const options: any[] = element.options ?? [];
    if (options.length > 100) problems.push(`${where}/options has ${options.length} items; at most 100`);
    options.forEach((o, i) => {
      tooLong(problems, `${where}/options/${i}/text/text`, o?.text?.text, 75);
      tooLong(problems, `${where}/options/${i}/value`, o?.value, 150);
    });
  }
  if (element.confirm) {
    tooLong(problems, `${where}/confirm/title/text`, element.confirm.title?.text, 100);
    tooLong(problems, `${where}/confirm/text/text`, element.confirm.text?.text, 300);
    tooLong(problems, `${where}/confirm/confirm/text`, element.confirm.confirm?.text, 30);
    tooLong(problems, `${where}/confirm/deny/text`, element.confirm.deny?.text, 30);
  }
  return problems;
}

/**
 * Every problem Teams would have with what we post to a Workflows webhook: the envelope of
 * "Post card in a chat or channel" (https://learn.microsoft.com/en-us/connectors/teams/#microsoft-teams-webhook
 * and https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using),
 * then each card against Microsoft's schema and renderer.
 */
export function validateTeamsMessage(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['the message is not a JSON object'];
  const message = body as Record<string, any>;
  const problems: string[] = [];
  if (message.type !== 'message') problems.push('"type" must be "message"');
  if (!Array.isArray(message.attachments) || message.attachments.length === 0) return [...problems, '"attachments" must be a non-empty array'];
  message.attachments.forEach((attachment: any, i: number) => {
    if (attachment?.contentType !== 'application/vnd.microsoft.card.adaptive') problems.push(`/attachments/${i}/contentType must be application/vnd.microsoft.card.adaptive`);
    if (attachment?.contentUrl !== undefined && attachment.contentUrl !== null) problems.push(`/attachments/${i}/contentUrl must be null`);
    problems.push(...validateAdaptiveCard(attachment?.content).map((p) => `/attachments/${i}/content${p}`));
  });
  return problems;
}

/** An Adaptive Card against Microsoft's schema and its renderer's parser for version 1.4 (paths start with `/` or `: `). */
export function validateAdaptiveCard(card: unknown): string[] {
  if (typeof card !== 'object' || card === null || Array.isArray(card)) return [': the card is not a JSON object'];
  const problems: string[] = [];
  if ((card as { type?: unknown }).type !== 'AdaptiveCard') problems.push(': "type" must be "AdaptiveCard"');
  if ((card as { version?: unknown }).version !== TEAMS_CARD_VERSION) problems.push(`: "version" must be "${TEAMS_CARD_VERSION}"`);
  if (!validateCardSchema(card)) problems.push(...ajvErrors('', validateCardSchema.errors).map((e) => `${e} (schema)`));

  const context = new AdaptiveCards.SerializationContext(new AdaptiveCards.Version(1, 4));
  const parsed = new AdaptiveCards.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`: ${context.getEventAt(i).message} (renderer)`);
  for (const event of parsed.validateProperties().validationEvents) problems.push(`: ${event.message} (renderer)`);
  return problems;
}
