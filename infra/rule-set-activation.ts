/**
 * The custom-resource Lambda that makes this stage's receipt rule set the active one, and on
 * delete deactivates it only if it is still the active one.
 *
 * An account has one active receipt rule set per region. `SetActiveReceiptRuleSet` with no name
 * deactivates whatever set is active, so a stack that blindly "deactivates on delete" switches off
 * another stage's (or another application's) mail; one that blindly activates on create takes it
 * over. Both need a look first (DescribeActiveReceiptRuleSet) and a decision, which an
 * AwsCustomResource cannot make: hence this small function.
 *
 * Two modes, one function:
 * - `guard`: created before anything that outlives a failed deploy (the retained bucket and
 *   table); refuses when another set is active, so a refused deploy leaves nothing behind.
 * - `activate`: after the rule exists; checks again, activates (on create and on every update, so
 *   a deploy re-applies it), and on delete deactivates only our own set.
 */
import { DescribeActiveReceiptRuleSetCommand, SESClient, SetActiveReceiptRuleSetCommand } from '@aws-sdk/client-ses';

/** What this function needs from SES: the active set's name, and switching it. */
export interface ActiveRuleSetPort {
  active(): Promise<string | null>;
  activate(name: string): Promise<void>;
  deactivate(): Promise<void>;
}

export interface RuleSetProperties {
  Mode: 'guard' | 'activate';
  RuleSetName: string;
  /** A set the deployer allowed to be replaced (`-c replaceActiveRuleSet=…`); '' for none. */
  ReplaceActive?: string;
}

/** The CloudFormation custom resource request (only the fields we use). */
export interface CustomResourceRequest {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceProperties: RuleSetProperties & { ServiceToken?: string };
}

export class RuleSetConflictError extends Error {
  override name = 'RuleSetConflictError';
}

/** Carries out one request; resolves to what was done, in words, or throws (the deploy fails with the message). */
export async function handleRuleSetRequest(request: Pick<CustomResourceRequest, 'RequestType' | 'ResourceProperties'>, sets: ActiveRuleSetPort): Promise<string> {
  const { Mode: mode, RuleSetName: ours, ReplaceActive: replaceable = '' } = request.ResourceProperties;
  if (mode !== 'guard' && mode !== 'activate') throw new Error(`unknown Mode "${String(mode)}": expected guard or activate`);
  if (!ours) throw new Error('RuleSetName is required');
  const active = await sets.active();

  if (request.RequestType === 'Delete') {
    if (mode === 'guard') return 'nothing to undo';
    if (active !== ours) return active ? `left "${active}" active: it is not ours (${ours})` : `no rule set is active; nothing to deactivate`;
    await sets.deactivate();
    return `deactivated ${ours}`;
  }

  if (active && active !== ours && active !== replaceable) {
    throw new RuleSetConflictError(
      `receipt rule set "${active}" is active in this account and region, and SES allows one active set per region: ` +
        `making ${ours} active would stop the mail "${active}" receives (another stage of this stack, or another application). ` +
        `Deploy this stage to another region or account, or, if "${active}" may be replaced, deploy with -c replaceActiveRuleSet=${active}.`,
    );
  }
  if (mode === 'guard') return active ? `"${active}" is active and may be replaced` : 'no other rule set is active';
  await sets.activate(ours);
  return active && active !== ours ? `activated ${ours}, replacing "${active}" as allowed` : `activated ${ours}`;
}

export function sesRuleSets(ses: SESClient): ActiveRuleSetPort {
  return {
    active: async () => (await ses.send(new DescribeActiveReceiptRuleSetCommand({}))).Metadata?.Name ?? null,
    activate: async (name) => {
      await ses.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: name }));
    },
    deactivate: async () => {
      await ses.send(new SetActiveReceiptRuleSetCommand({}));
    },
  };
}

/** A handler that answers CloudFormation at the request's ResponseURL, whatever happens. */
export function ruleSetHandler(sets: ActiveRuleSetPort, log: (line: Record<string, unknown>) => void = (l) => console.log(JSON.stringify(l))) {
  return async (request: CustomResourceRequest): Promise<void> => {
    const props = request.ResourceProperties;
    const physicalResourceId = request.PhysicalResourceId ?? `${props.RuleSetName}-${props.Mode}`;
    let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
    let reason: string;
    try {
      reason = await handleRuleSetRequest(request, sets);
    } catch (err) {
      status = 'FAILED';
      reason = `${(err as Error).name}: ${(err as Error).message}`;
    }
    log({ requestType: request.RequestType, mode: props.Mode, ruleSet: props.RuleSetName, status, reason });
    const body = JSON.stringify({
      Status: status,
      // CloudFormation shows this in the stack events; the whole response must stay under 4 KB.
      Reason: reason.slice(0, 2000),
      PhysicalResourceId: physicalResourceId,
      StackId: request.StackId,
      RequestId: request.RequestId,
      LogicalResourceId: request.LogicalResourceId,
      NoEcho: false,
      Data: {},
    });
    // The presigned S3 URL is signed without a content type: send none.
    const res = await fetch(request.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) } });
    if (!res.ok) throw new Error(`CloudFormation response upload failed: HTTP ${res.status}`);
  };
}

export const handler = ruleSetHandler(sesRuleSets(new SESClient({})));
