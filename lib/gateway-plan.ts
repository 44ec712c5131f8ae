/**
 * Which API Gateway resources and methods carry the services' routes — the fewest that still send every
 * route to its own service's function.
 *
 * A resource per path segment and a method per route (the straightforward mapping) cost three
 * CloudFormation resources a route (resource, method, invoke permission): 230 of the stack's 330. Here a
 * function's routes share `{proxy+}` resources with an `ANY` method instead; the function's app (Hono) routes
 * the request itself and answers an unknown path or method with its own 404 JSON. Only where two services
 * meet (`/models/{model}/…` is shared by registry, drift, performance and retraining) does a path segment
 * get its own resource.
 *
 * API Gateway's rules that shape the plan (REST APIs): a request is matched segment by segment, a literal
 * segment before a path variable, and `{proxy+}` matches one or more remaining segments; a resource may
 * have at most one variable child, and `{proxy+}` counts as one — so a node whose children include a
 * `{name}` variable gets no `{proxy+}` and all its children are explicit. Pure: no CDK here, so the plan
 * is unit-tested and the infra tests check the template against it.
 */

/** One route of one service, as API Gateway writes it (`POST /models/{model}/versions`). */
export interface PlannedRoute {
  readonly service: string;
  readonly method: string;
  readonly path: string;
}

/** A resource the API needs and the methods on it. */
export interface GatewayNode {
  /** The resource's path (`/`, `/models/{model}`, `/models/{model}/{proxy+}`). */
  readonly path: string;
  /** HTTP method (`ANY` or a verb) → the service whose function serves it. */
  readonly methods: ReadonlyMap<string, string>;
}

interface Trie {
  readonly segment: string;
  readonly children: Map<string, Trie>;
  /** method → service of the routes ending exactly here. */
  readonly own: Map<string, string>;
}

const isVariable = (segment: string): boolean => segment.startsWith("{");

/** The segments of a route path (`/models/{model}` → `models`, `{model}`). */
export function pathSegments(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

function buildTrie(routes: readonly PlannedRoute[]): Trie {
  const root: Trie = { segment: "", children: new Map(), own: new Map() };
  for (const route of routes) {
    let node = root;
    for (const segment of pathSegments(route.path)) {
      if (segment.endsWith("+}")) throw new Error(`route ${route.method} ${route.path} uses a greedy path variable; contracts name every segment`);
      let child = node.children.get(segment);
      if (!child) {
        child = { segment, children: new Map(), own: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    const taken = node.own.get(route.method);
    if (taken !== undefined) throw new Error(`${route.method} ${route.path} is defined by both ${taken} and ${route.service}`);
    node.own.set(route.method, route.service);
  }
  // Two variable siblings (`/a/{x}` and `/a/{y}`) cannot exist in API Gateway.
  const check = (node: Trie, path: string): void => {
    const variables = [...node.children.keys()].filter(isVariable);
    if (variables.length > 1) throw new Error(`${path || "/"} has more than one path variable child: ${variables.join(", ")}`);
    for (const child of node.children.values()) check(child, `${path}/${child.segment}`);
  };
  check(root, "");
  return root;
}

/**
 * The service `{proxy+}` below `node` should go to: the one leaving the fewest children to be made
 * explicit, then the one with the most routes below, then by name (so the plan is stable).
 */
function defaultBelow(node: Trie): string | undefined {
  const counts = descendantOwners(node);
  const explicitChildren = (service: string): number => [...node.children.values()].filter((c) => !onlyOwner(c, service)).length;
  return [...counts].sort((a, b) => explicitChildren(a[0]) - explicitChildren(b[0]) || b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/** Route count per service in the subtree below `node` (its own routes excluded). */
function descendantOwners(node: Trie, into = new Map<string, number>()): Map<string, number> {
  for (const child of node.children.values()) {
    for (const service of child.own.values()) into.set(service, (into.get(service) ?? 0) + 1);
    descendantOwners(child, into);
  }
  return into;
}

/** The service with the most routes (ties broken by name, so the plan is stable). */
function majority(counts: ReadonlyMap<string, number>): string | undefined {
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

function onlyOwner(node: Trie, service: string): boolean {
  return [...node.own.values()].every((s) => s === service) && [...node.children.values()].every((c) => onlyOwner(c, service));
}

/**
 * The resources and methods that send every route to its service: each explicit resource answers every
 * method through one function (`ANY`) unless services share it by method; below it, a `{proxy+}` sends what
 * is not explicit to the service owning most routes there.
 *
 * Paths no route covers go to the service owning most routes (its app returns the 404 JSON).
 *
 * @throws Error when two services define the same method and path, or a node would need two variable children.
 */
export function gatewayPlan(routes: readonly PlannedRoute[]): GatewayNode[] {
  const nodes: GatewayNode[] = [];
  const visit = (node: Trie, path: string, inherited: string): void => {
    const below = defaultBelow(node) ?? inherited;
    const methods = new Map<string, string>();
    const ownServices = new Set(node.own.values());
    // A resource without routes of its own still answers (the app's 404) through the service below it.
    if (ownServices.size <= 1) methods.set("ANY", [...ownServices][0] ?? below);
    else for (const [method, service] of node.own) methods.set(method, service);
    nodes.push({ path: path || "/", methods });

    if (node.children.size === 0) return;
    // A variable child that must be explicit (another service lives below it) rules out `{proxy+}` beside
    // it, and then every sibling needs its own resource.
    const variable = [...node.children.values()].find((c) => isVariable(c.segment));
    const noProxy = variable !== undefined && !onlyOwner(variable, below);
    if (!noProxy) nodes.push({ path: `${path}/{proxy+}`, methods: new Map([["ANY", below]]) });
    for (const child of node.children.values()) {
      if (noProxy || !onlyOwner(child, below)) visit(child, `${path}/${child.segment}`, below);
    }
  };
  const counts = new Map<string, number>();
  for (const r of routes) counts.set(r.service, (counts.get(r.service) ?? 0) + 1);
  visit(buildTrie(routes), "", majority(counts) ?? "");
  return nodes;
}

/**
 * The service API Gateway would send `method path` to under `plan`: literal segments first, then the path
 * variable, then `{proxy+}` for the rest, never backing up. `undefined` when no resource matches (API
 * Gateway answers that itself).
 */
export function routeThrough(plan: readonly GatewayNode[], method: string, path: string): string | undefined {
  const byPath = new Map(plan.map((n) => [n.path, n]));
  const childrenOf = (parent: string): string[] =>
    plan.map((n) => n.path).filter((p) => p !== parent && parentPath(p) === parent);
  let current = "/";
  const segments = pathSegments(path);
  for (let i = 0; i < segments.length; i++) {
    const children = childrenOf(current);
    const literal = children.find((c) => lastSegment(c) === segments[i]);
    const variable = children.find((c) => isVariable(lastSegment(c)) && !lastSegment(c).endsWith("+}"));
    const greedy = children.find((c) => lastSegment(c).endsWith("+}"));
    if (literal) current = literal;
    else if (variable) current = variable;
    else if (greedy) {
      current = greedy;
      break;
    } else return undefined;
  }
  const methods = byPath.get(current)?.methods;
  return methods?.get(method.toUpperCase()) ?? methods?.get("ANY");
}

function parentPath(path: string): string {
  const cut = path.lastIndexOf("/");
  return cut <= 0 ? "/" : path.slice(0, cut);
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
