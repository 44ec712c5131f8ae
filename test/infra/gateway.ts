/**
 * The API's routing as the template defines it: resources (path parts and parents), methods and the
 * function each integrates with — read back into lib/gateway-plan.ts's shape so that `routeThrough` can say
 * which function API Gateway would invoke for a request.
 */
import type { Template } from "aws-cdk-lib/assertions";
import { expect } from "vitest";
import { routeThrough, type GatewayNode } from "../../lib/gateway-plan.js";
import { resourcesOf } from "./synth.js";

/** The template's resources as paths, each with its methods → the logical id of the integrated function. */
export function templateGateway(template: Template): GatewayNode[] {
  const parts = new Map(resourcesOf(template, "AWS::ApiGateway::Resource").map(([id, r]) => [id, r.Properties]));
  const pathOf = (ref: any): string => {
    if (ref?.["Fn::GetAtt"]?.[1] === "RootResourceId") return "/";
    const resource = parts.get(ref.Ref);
    if (!resource) throw new Error(`unknown resource ${JSON.stringify(ref)}`);
    const parent = pathOf(resource.ParentId);
    return `${parent === "/" ? "" : parent}/${resource.PathPart}`;
  };
  const nodes = new Map<string, Map<string, string>>([["/", new Map()]]);
  for (const id of parts.keys()) nodes.set(pathOf({ Ref: id }), new Map());
  for (const [, m] of resourcesOf(template, "AWS::ApiGateway::Method")) {
    const fn = m.Properties.Integration?.Uri?.["Fn::Join"]?.[1]?.find((x: any) => x?.["Fn::GetAtt"])?.["Fn::GetAtt"]?.[0];
    nodes.get(pathOf(m.Properties.ResourceId))!.set(m.Properties.HttpMethod, fn);
  }
  return [...nodes].map(([path, methods]) => ({ path, methods }));
}

/** The logical id of the function whose description starts with `prefix` (`mlwatch drift API`). */
export function functionId(template: Template, prefix: string): string {
  const found = resourcesOf(template, "AWS::Lambda::Function").filter(([, f]) => String(f.Properties.Description ?? "").startsWith(prefix));
  if (found.length !== 1) throw new Error(`${found.length} functions described "${prefix}…"`);
  return found[0][0];
}

/** A concrete request path for a route template (`{model}` → `m-1`). */
export function samplePath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => `${name}-1`);
}

/**
 * Asserts that API Gateway sends each route to the function `fnId`, and that the function's methods (there
 * is at least one) are all authorized with AWS_IAM.
 */
export function expectRoutedTo(template: Template, specs: readonly { method: string; path: string }[], fnId: string): void {
  const gateway = templateGateway(template);
  for (const s of specs) expect(routeThrough(gateway, s.method, samplePath(s.path)), `${s.method} ${s.path}`).toBe(fnId);
  const methods = resourcesOf(template, "AWS::ApiGateway::Method").filter(([, m]) => JSON.stringify(m.Properties.Integration?.Uri).includes(fnId));
  expect(methods.length).toBeGreaterThan(0);
  for (const [, m] of methods) expect(m.Properties.AuthorizationType).toBe("AWS_IAM");
}
