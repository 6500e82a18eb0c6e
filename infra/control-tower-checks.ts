/**
 * cfn-guard with the AWS Control Tower proactive controls, as a CDK policy-validation plugin.
 *
 * A thin wrapper around @cdklabs/cdk-validator-cfnguard (0.0.62): its findings carry no
 * `severity`. When an app acknowledges any of its findings (Validations.acknowledge), CDK
 * recomputes the report's success as "no violation of severity error or fatal" — which, without a
 * severity, is always true, so a new, unacknowledged finding no longer fails `cdk synth`. Here
 * every finding is an error, as Control Tower treats a failed proactive control; the plugin's name
 * is kept, so acknowledgements stay `cdk-validator-cfnguard::<rule>`.
 */
import { CfnGuardValidator, type CfnGuardValidatorProps } from '@cdklabs/cdk-validator-cfnguard';
import type { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';

export class ControlTowerChecks implements IPolicyValidationPluginBeta1 {
  private readonly guard: CfnGuardValidator;
  readonly name: string;
  readonly version?: string;
  readonly ruleIds?: string[];

  constructor(props: CfnGuardValidatorProps = {}) {
    this.guard = new CfnGuardValidator(props);
    this.name = this.guard.name;
    if (this.guard.version) this.version = this.guard.version;
    if (this.guard.ruleIds) this.ruleIds = this.guard.ruleIds;
  }

  validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const report = this.guard.validate(context);
    return { ...report, violations: report.violations.map((v) => ({ ...v, severity: v.severity ?? 'error' })) };
  }
}
