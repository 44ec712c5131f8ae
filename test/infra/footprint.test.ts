/**
 * The stack's footprint: a resource budget users can afford inside their own stacks (CloudFormation allows
 * 500 per stack), with every route still on its own service's function behind AWS_IAM.
 */
import { describe, expect, it } from "vitest";
import { allContracts } from "../../lambdas/contracts.js";
import { routeSpecs } from "../../lib/api.js";
import { routeThrough } from "../../lib/gateway-plan.js";
import { functionId, samplePath, templateGateway } from "./gateway.js";
import { resourcesOf, synth } from "./synth.js";

/** The stack may hold at most this many resources (the budget: under 150, a third of 500). */
const resourceBudget = 149;

/** The function serving each service's routes, by its description. */
const serviceFunction: Record<string, string> = {
  registry: "mlwatch registry:",
  events: "mlwatch events:",
  drift: "mlwatch drift API:",
  performance: "mlwatch performance:",
  alerts: "mlwatch alerts: the alert inbox",
  retraining: "mlwatch retraining:",
};

/** Every resource's logical id → the logical ids it needs first (Ref, Fn::GetAtt, DependsOn). */
function dependencies(resources: Record<string, any>): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  const collect = (value: unknown, into: Set<string>): void => {
    if (Array.isArray(value)) value.forEach((v) => collect(v, into));
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (k === "Ref" && typeof v === "string" && v in resources) into.add(v);
        else if (k === "Fn::GetAtt" && Array.isArray(v) && v[0] in resources) into.add(v[0]);
        else if (k === "Fn::Sub" && typeof (Array.isArray(v) ? v[0] : v) === "string") {
          for (const m of String(Array.isArray(v) ? v[0] : v).matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z]+)?\}/g)) if (m[1] in resources) into.add(m[1]);
          collect(v, into);
        } else collect(v, into);
      }
    }
  };
  for (const [id, r] of Object.entries(resources)) {
    const into = new Set<string>();
    collect(r.Properties ?? {}, into);
    for (const d of [r.DependsOn ?? []].flat()) into.add(d);
    edges.set(id, into);
  }
  return edges;
}

describe("stack footprint", () => {
  const { template } = synth();
  const resources = template.toJSON().Resources as Record<string, any>;

  it(`stays within ${resourceBudget} CloudFormation resources`, () => {
    const count = Object.keys(resources).length;
    expect(count).toBeLessThanOrEqual(resourceBudget);
    // The API part: a resource, a method and two permissions per route made 229 of 330; now one permission
    // per function and resources only where services meet.
    expect(resourcesOf(template, "AWS::ApiGateway::Resource").length + resourcesOf(template, "AWS::ApiGateway::Method").length).toBeLessThanOrEqual(55);
    const apiPermissions = resourcesOf(template, "AWS::Lambda::Permission").filter(([, p]) => p.Properties.Principal === "apigateway.amazonaws.com");
    expect(apiPermissions).toHaveLength(Object.keys(serviceFunction).length);
  });

  it("has no dependency cycle (function roles hold their grants inline)", () => {
    const edges = dependencies(resources);
    const state = new Map<string, "visiting" | "done">();
    const cycle: string[] = [];
    const visit = (id: string, trail: string[]): boolean => {
      if (state.get(id) === "done") return false;
      if (state.get(id) === "visiting") {
        cycle.push(...trail.slice(trail.indexOf(id)), id);
        return true;
      }
      state.set(id, "visiting");
      for (const next of edges.get(id) ?? []) if (visit(next, [...trail, id])) return true;
      state.set(id, "done");
      return false;
    };
    for (const id of edges.keys()) if (visit(id, [])) break;
    expect(cycle).toEqual([]);
    // The function roles' grants are inline: no separate policy resource for any function's role.
    const functionRoles = new Set(resourcesOf(template, "AWS::Lambda::Function").map(([, f]) => f.Properties.Role["Fn::GetAtt"][0]));
    for (const [id, p] of resourcesOf(template, "AWS::IAM::Policy")) {
      for (const r of p.Properties.Roles) expect(functionRoles.has(r.Ref), `${id} attached to a function role`).toBe(false);
    }
    for (const roleId of functionRoles) {
      const names = resources[roleId].Properties.Policies.map((p: any) => p.PolicyName);
      expect(names, roleId).toEqual(["logs", "grants"]);
    }
  });

  it("sends every route of every contract to its service's function, as API Gateway matches paths", () => {
    const gateway = templateGateway(template);
    let checked = 0;
    for (const contract of allContracts) {
      const fn = functionId(template, serviceFunction[contract.service]);
      for (const route of routeSpecs(contract)) {
        expect(routeThrough(gateway, route.method, samplePath(route.path)), `${route.method} ${route.path}`).toBe(fn);
        checked++;
      }
    }
    expect(checked).toBe(allContracts.flatMap(routeSpecs).length);
    expect(checked).toBeGreaterThan(50);
  });

  it("lets unknown paths and methods reach a function, whose app answers the 404 JSON", () => {
    const gateway = templateGateway(template);
    const registry = functionId(template, serviceFunction.registry);
    expect(routeThrough(gateway, "GET", "/no-such-thing")).toBe(registry);
    expect(routeThrough(gateway, "GET", "/")).toBe(registry);
    expect(routeThrough(gateway, "DELETE", "/models/m-1/history")).toBe(registry);
    expect(routeThrough(gateway, "GET", "/models/m-1/baselines/b-1/nope")).toBe(functionId(template, serviceFunction.drift));
    expect(routeThrough(gateway, "PATCH", "/alerts/a-1")).toBe(functionId(template, serviceFunction.alerts));
  });

  it("authorizes every method with AWS_IAM and proxies it to a function", () => {
    const methods = resourcesOf(template, "AWS::ApiGateway::Method");
    expect(methods.length).toBeGreaterThan(0);
    for (const [id, m] of methods) {
      expect(m.Properties.AuthorizationType, id).toBe("AWS_IAM");
      expect(m.Properties.Integration.Type, id).toBe("AWS_PROXY");
    }
  });

  it("lets API Gateway invoke each service function through this API only (one permission, the API's execution ARN)", () => {
    const [[apiId]] = resourcesOf(template, "AWS::ApiGateway::RestApi");
    for (const prefix of Object.values(serviceFunction)) {
      const fn = functionId(template, prefix);
      // The registry's other permission is EventBridge's, for retention's rule (registry-retention.test.ts).
      const permissions = resourcesOf(template, "AWS::Lambda::Permission").filter(
        ([, p]) => p.Properties.FunctionName?.["Fn::GetAtt"]?.[0] === fn && p.Properties.Principal !== "events.amazonaws.com",
      );
      expect(permissions, prefix).toHaveLength(1);
      expect(permissions[0][1].Properties).toMatchObject({
        Action: "lambda:InvokeFunction",
        Principal: "apigateway.amazonaws.com",
        SourceArn: { "Fn::Join": ["", ["arn:aws:execute-api:eu-west-1:123456789012:", { Ref: apiId }, "/*/*/*"]] },
      });
    }
  });
});

/**
 * IAM's match of a Resource pattern against an ARN: `*` any run of characters (slashes too), `?` one
 * character — as IAM evaluates `execute-api:Invoke` resources.
 */
function iamMatches(pattern: string, arn: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return re.test(arn);
}

describe("route-level IAM policies", () => {
  // API Gateway authorizes an AWS_IAM request against arn:aws:execute-api:region:account:api-id/stage/VERB/path,
  // built from the request's own verb and URL path (docs/security.md cites AWS's statement reference):
  // the resources and methods the gateway uses to find the function do not appear in it.
  const api = "arn:aws:execute-api:eu-west-1:123456789012:abc123";
  const requestArn = (method: string, path: string): string => `${api}/v1/${method}${path}`;
  const routes = allContracts.flatMap(routeSpecs);

  it("a promote-only policy selects the promote route and no other route of the API", () => {
    const pattern = `${api}/*/POST/models/*/versions/*/promote`;
    const allowed = routes.filter((r) => iamMatches(pattern, requestArn(r.method, samplePath(r.path))));
    expect(allowed.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /models/{model}/versions/{version}/promote"]);
    expect(iamMatches(pattern, requestArn("POST", "/models/churn/versions/7/approve"))).toBe(false);
    expect(iamMatches(pattern, requestArn("GET", "/models/churn/versions/7/promote"))).toBe(false);
  });

  it("a read-only policy (GET on everything) selects exactly the GET routes", () => {
    const pattern = `${api}/*/GET/*`;
    const allowed = routes.filter((r) => iamMatches(pattern, requestArn(r.method, samplePath(r.path))));
    expect(allowed.length).toBe(routes.filter((r) => r.method === "GET").length);
    expect(allowed.length).toBeGreaterThan(20);
  });

  it("still routes the promote request to the registry function behind AWS_IAM", () => {
    const { template } = synth();
    const gateway = templateGateway(template);
    const fn = routeThrough(gateway, "POST", "/models/churn/versions/7/promote");
    expect(fn).toBe(functionId(template, serviceFunction.registry));
    const node = gateway.find((n) => [...n.methods.values()].includes(fn!) && n.path === "/models/{model}/versions/{version}/{proxy+}");
    expect(node?.methods.get("ANY")).toBe(fn);
  });
});
