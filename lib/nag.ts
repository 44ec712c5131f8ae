/**
 * cdk-nag acknowledgements for IAM wildcard resources (rule AwsSolutions-IAM5), written next to the grant
 * that needs them. cdk-nag 3 names each wildcard finding by the policy resource flattened to a string
 * (`Resource::<StorageData6BB23F4E.Arn>/batches/*`); {@link acknowledgeWildcard} computes that name from the
 * ARN the grant used, so a renamed construct cannot leave an acknowledgement pointing at nothing.
 */
import { Stack, Validations } from "aws-cdk-lib";
import type { IGrantable } from "aws-cdk-lib/aws-iam";
import type { IConstruct } from "constructs";

/** A resolved CloudFormation value flattened the way cdk-nag prints it in finding ids. */
export function flattenForNag(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value.replace(/\$\{/g, "<").replace(/\}/g, ">");
  const node = value as Record<string, unknown>;
  if (Array.isArray(node["Fn::Join"])) {
    const [delimiter, items] = node["Fn::Join"] as [string, unknown[]];
    return items.map(flattenForNag).join(delimiter);
  }
  if (node["Fn::Sub"] !== undefined) return flattenForNag(node["Fn::Sub"]);
  if (Array.isArray(node["Fn::GetAtt"])) {
    const [resource, attribute] = node["Fn::GetAtt"] as [unknown, unknown];
    return `<${flattenForNag(resource)}.${flattenForNag(attribute)}>`;
  }
  if (node["Fn::ImportValue"] !== undefined) return flattenForNag(node["Fn::ImportValue"]);
  if (node.Ref !== undefined) return `<${flattenForNag(node.Ref)}>`;
  return JSON.stringify(node);
}

/**
 * Acknowledges the IAM5 finding a wildcard resource raises on a principal's policy, with the reason.
 * @param grantee the function (or role) the statement was added to
 * @param resource the statement's resource exactly as granted (token or `*`)
 * @param reason why the wildcard is needed and what bounds it
 */
export function acknowledgeWildcard(grantee: IGrantable, resource: string, reason: string): void {
  const principal = grantee.grantPrincipal as unknown as IConstruct;
  const flat = resource === "*" ? "*" : flattenForNag(Stack.of(principal).resolve(resource));
  Validations.of(principal).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${flat}]`, reason });
}
