/**
 * Synthesizes the stack for infra tests with cdk.json's context (the settings and the feature flags `cdk synth`
 * uses: the template under test is the one deployed). Lambda bundling is skipped (`aws:cdk:bundling-stacks: []`):
 * the tests assert the template; `npx cdk synth` in CI bundles for real.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { MonitoringStack } from "../../lib/monitoring-stack.js";

/** cdk.json's context: the settings' defaults and the feature flags. */
export const cdkJsonContext: Record<string, unknown> = JSON.parse(readFileSync(join(import.meta.dirname, "../../cdk.json"), "utf8")).context;

const cache = new Map<string, { stack: MonitoringStack; template: Template }>();

/** The stack and its template for the given context (memoised per context). */
export function synth(context: Record<string, unknown> = {}): { stack: MonitoringStack; template: Template } {
  const key = JSON.stringify(context);
  let hit = cache.get(key);
  if (!hit) {
    const app = new App({ context: { ...cdkJsonContext, "aws:cdk:bundling-stacks": [], ...context } });
    const stack = new MonitoringStack(app, "TestStack", { env: { account: "123456789012", region: "eu-west-1" } });
    hit = { stack, template: Template.fromStack(stack) };
    cache.set(key, hit);
  }
  return hit;
}

/** Every resource of a type, as [logicalId, resource] pairs. */
export function resourcesOf(template: Template, type: string): Array<[string, any]> {
  return Object.entries(template.findResources(type));
}

/** Every IAM statement of every policy in the template (inline policies and roles). */
export function iamStatements(template: Template): any[] {
  const statements: any[] = [];
  for (const [, policy] of resourcesOf(template, "AWS::IAM::Policy")) statements.push(...policy.Properties.PolicyDocument.Statement);
  for (const [, role] of resourcesOf(template, "AWS::IAM::Role")) {
    for (const p of role.Properties.Policies ?? []) statements.push(...p.PolicyDocument.Statement);
  }
  return statements;
}

/**
 * Every IAM statement a role is granted: its inline policies (mlwatch's function roles keep their grants
 * there, lib/function.ts InlineGrantsRole) and any `AWS::IAM::Policy` attached to it.
 */
export function roleStatements(template: Template, roleId: string): any[] {
  const role = template.toJSON().Resources[roleId];
  const inline = (role?.Properties?.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
  const attached = resourcesOf(template, "AWS::IAM::Policy")
    .filter(([, p]) => (p.Properties.Roles ?? []).some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  return [...inline, ...attached];
}
