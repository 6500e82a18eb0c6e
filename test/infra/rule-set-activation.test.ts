/**
 * The receipt-rule-set custom resource (infra/rule-set-activation.ts): its decisions against a
 * fake of the one SES fact it reads (which set is active), the CloudFormation answer it uploads,
 * and the real SES calls against moto.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateReceiptRuleSetCommand, SESClient } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  handleRuleSetRequest,
  ruleSetHandler,
  RuleSetConflictError,
  sesRuleSets,
  type ActiveRuleSetPort,
  type CustomResourceRequest,
  type RuleSetProperties,
} from '../../infra/rule-set-activation.js';
import { startMoto, type Moto } from '../support/moto.js';

const DEV = 'Ticketing-dev-inbound';
const PROD = 'Ticketing-prod-inbound';

/** SES's one active set per account and region, and every switch made. */
function fakeSes(active: string | null): ActiveRuleSetPort & { state: () => string | null; switches: string[] } {
  let current = active;
  const switches: string[] = [];
  return {
    state: () => current,
    switches,
    active: async () => current,
    activate: async (name) => {
      switches.push(`activate ${name}`);
      current = name;
    },
    deactivate: async () => {
      switches.push('deactivate');
      current = null;
    },
  };
}

const request = (RequestType: CustomResourceRequest['RequestType'], props: Partial<RuleSetProperties> = {}) => ({
  RequestType,
  ResourceProperties: { Mode: 'activate' as const, RuleSetName: DEV, ReplaceActive: '', ...props },
});

describe('receipt rule set decisions', () => {
  it('activates our set when none is active, and again on an update', async () => {
    const ses = fakeSes(null);
    expect(await handleRuleSetRequest(request('Create'), ses)).toBe(`activated ${DEV}`);
    expect(await handleRuleSetRequest(request('Update'), ses)).toBe(`activated ${DEV}`);
    expect(ses.switches).toEqual([`activate ${DEV}`, `activate ${DEV}`]);
  });

  it('re-applies the activation on update after someone deactivated it', async () => {
    const ses = fakeSes(null);
    await handleRuleSetRequest(request('Update'), ses);
    expect(ses.state()).toBe(DEV);
  });

  it('refuses to take over another stage\'s active set, saying what to do, and switches nothing', async () => {
    for (const mode of ['guard', 'activate'] as const) {
      const ses = fakeSes(PROD);
      const attempt = handleRuleSetRequest(request('Create', { Mode: mode }), ses);
      await expect(attempt).rejects.toThrow(RuleSetConflictError);
      await expect(handleRuleSetRequest(request('Create', { Mode: mode }), ses)).rejects.toThrow(
        new RegExp(`"${PROD}" is active in this account and region.*another region or account.*-c replaceActiveRuleSet=${PROD}`),
      );
      expect(ses.switches).toEqual([]);
      expect(ses.state()).toBe(PROD);
    }
  });

  it('replaces the active set only when the deployer named it', async () => {
    const ses = fakeSes('legacy-forwarding');
    expect(await handleRuleSetRequest(request('Create', { Mode: 'guard', ReplaceActive: 'legacy-forwarding' }), ses)).toMatch(/may be replaced/);
    expect(await handleRuleSetRequest(request('Create', { ReplaceActive: 'legacy-forwarding' }), ses)).toBe(`activated ${DEV}, replacing "legacy-forwarding" as allowed`);
    await expect(handleRuleSetRequest(request('Update', { ReplaceActive: 'something-else' }), fakeSes('legacy-forwarding'))).rejects.toThrow(RuleSetConflictError);
  });

  it('on delete deactivates our set only while it is the active one', async () => {
    const ours = fakeSes(DEV);
    expect(await handleRuleSetRequest(request('Delete'), ours)).toBe(`deactivated ${DEV}`);
    expect(ours.switches).toEqual(['deactivate']);

    // Deleting Ticketing-dev while prod's set is active must leave prod receiving.
    const prods = fakeSes(PROD);
    expect(await handleRuleSetRequest(request('Delete'), prods)).toBe(`left "${PROD}" active: it is not ours (${DEV})`);
    expect(prods.switches).toEqual([]);
    expect(prods.state()).toBe(PROD);

    const none = fakeSes(null);
    expect(await handleRuleSetRequest(request('Delete'), none)).toMatch(/nothing to deactivate/);
    expect(none.switches).toEqual([]);
  });

  it('the guard never switches anything, and its delete undoes nothing', async () => {
    const ses = fakeSes(null);
    expect(await handleRuleSetRequest(request('Create', { Mode: 'guard' }), ses)).toBe('no other rule set is active');
    const ours = fakeSes(DEV);
    expect(await handleRuleSetRequest(request('Delete', { Mode: 'guard' }), ours)).toBe('nothing to undo');
    expect([...ses.switches, ...ours.switches]).toEqual([]);
    expect(ours.state()).toBe(DEV);
  });
});

describe('the answer to CloudFormation', () => {
  let server: Server;
  let url: string;
  const uploads: Array<{ headers: IncomingMessage['headers']; body: Record<string, unknown> }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        uploads.push({ headers: req.headers, body: JSON.parse(body) as Record<string, unknown> });
        res.end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/presigned`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const cfnRequest = (RequestType: CustomResourceRequest['RequestType'], Mode: RuleSetProperties['Mode'], PhysicalResourceId?: string): CustomResourceRequest => ({
    RequestType,
    ResponseURL: url,
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Ticketing-dev/1',
    RequestId: `req-${uploads.length}`,
    LogicalResourceId: 'ActivateRuleSet',
    ...(PhysicalResourceId ? { PhysicalResourceId } : {}),
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:x', Mode, RuleSetName: DEV, ReplaceActive: '' },
  });

  it('uploads SUCCESS with a stable physical id, and FAILED with the reason when it refuses', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const handler = ruleSetHandler(fakeSes(PROD), (l) => lines.push(l));
    await handler(cfnRequest('Create', 'activate'));
    await handler(cfnRequest('Delete', 'activate', `${DEV}-activate`));
    expect(uploads[0]!.body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: `${DEV}-activate`, RequestId: 'req-0', LogicalResourceId: 'ActivateRuleSet', StackId: expect.stringContaining('Ticketing-dev') });
    expect(uploads[0]!.body.Reason).toMatch(/^RuleSetConflictError: receipt rule set "Ticketing-prod-inbound" is active/);
    expect(uploads[1]!.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `${DEV}-activate`, Reason: `left "${PROD}" active: it is not ours (${DEV})` });
    // A presigned S3 PUT: no content type, a length.
    expect(uploads[0]!.headers['content-type'] ?? '').toBe('');
    expect(Number(uploads[0]!.headers['content-length'])).toBeGreaterThan(0);
    expect(lines.map((l) => l.status)).toEqual(['FAILED', 'SUCCESS']);
  });
});

describe('against SES (moto)', () => {
  let moto: Moto;
  let ses: SESClient;
  beforeAll(async () => {
    moto = await startMoto();
    ses = new SESClient({ region: 'eu-west-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' } });
    for (const name of [DEV, PROD]) await ses.send(new CreateReceiptRuleSetCommand({ RuleSetName: name }));
  });
  afterAll(async () => {
    ses?.destroy();
    await moto?.stop();
  });

  it('prod active: dev is refused, dev\'s delete leaves prod active, prod\'s delete deactivates', async () => {
    const sets = sesRuleSets(ses);
    expect(await sets.active()).toBeNull();
    await handleRuleSetRequest(request('Create', { RuleSetName: PROD }), sets);
    expect(await sets.active()).toBe(PROD);

    await expect(handleRuleSetRequest(request('Create', { Mode: 'guard' }), sets)).rejects.toThrow(RuleSetConflictError);
    await handleRuleSetRequest(request('Delete'), sets); // the rollback of the refused dev stack
    expect(await sets.active()).toBe(PROD);

    await handleRuleSetRequest(request('Delete', { RuleSetName: PROD }), sets);
    expect(await sets.active()).toBeNull();
  });
});
