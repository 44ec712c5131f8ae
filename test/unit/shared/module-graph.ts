/**
 * The repository's module graph as the TypeScript compiler's pre-processor reads it (every static import and
 * re-export, `import type` included, and every `import()` with a literal specifier), and the four rules the
 * boundary tests hold it to: services meet through their front door, platform code imports no service, no
 * import circles, and within a service only its store/ (and its Lambda entries) reach DynamoDB and S3. The checkers take a plain graph so that a test can prove each of them fails.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";

/** A module graph: repository-relative file → the repository files it imports. */
export type ModuleGraph = ReadonlyMap<string, readonly string[]>;

/** Every `.ts` file under the given folders (repository-relative, sorted), declaration files left out. */
export function sourceFiles(root: string, folders: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir))) {
      if (name === "node_modules") continue;
      const path = `${dir}/${name}`;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(path);
    }
  };
  for (const folder of folders) walk(folder);
  return out.sort();
}

/** The relative specifiers a file imports, statically, as types, or dynamically with a literal. */
export function importSpecifiers(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/** Where a relative specifier lands (`./x.js` → `dir/x.ts`, `./dir` → `dir/index.ts`); undefined for packages. */
export function resolveSpecifier(root: string, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = join(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, ".ts"), base.replace(/\.mjs$/, ".mts"), base, `${base}.ts`, `${base}/index.ts`];
  const found = candidates.find((c) => existsSync(join(root, c)) && statSync(join(root, c)).isFile());
  return found;
}

/** The module graph of the given files: each one's imports of repository files (packages left out). */
export function moduleGraph(root: string, files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const imports = importSpecifiers(readFileSync(join(root, file), "utf8"))
      .map((s) => resolveSpecifier(root, file, s))
      .filter((f): f is string => f !== undefined);
    graph.set(file, [...new Set(imports)]);
  }
  return graph;
}

/** The folder a `lambdas/` file belongs to (`lambdas/drift/store/checks.ts` → `drift`); undefined outside one. */
export function areaOf(file: string): string | undefined {
  const m = /^lambdas\/([^/]+)\//.exec(file);
  return m?.[1];
}

/** What another area may import of a service: its front door (`index.ts`), its contract (`contract.ts`, `contract/…`). */
export function isFrontDoor(file: string, service: string): boolean {
  const inside = file.slice(`lambdas/${service}/`.length);
  return inside === "index.ts" || inside === "contract.ts" || inside.startsWith("contract/");
}

/** A `from → to` import that breaks a boundary rule, with the rule in words. */
export interface Violation {
  from: string;
  to: string;
  rule: string;
}

/**
 * Imports from one service into another that pass by the front door. `hosts` (the local server, the console)
 * may also import a service's `app.ts` or a Lambda entry under its `handlers/`: hosting every service's routes
 * and running its entry points (the local relay hands a rule's events to the function the rule targets) is their job.
 */
export function crossServiceViolations(graph: ModuleGraph, services: readonly string[], hosts: readonly string[]): Violation[] {
  const out: Violation[] = [];
  for (const [from, imports] of graph) {
    const area = areaOf(from);
    if (area === undefined || !(services.includes(area) || hosts.includes(area))) continue;
    for (const to of imports) {
      const target = areaOf(to);
      if (target === undefined || target === area || !services.includes(target)) continue;
      if (isFrontDoor(to, target)) continue;
      if (hosts.includes(area) && (to === `lambdas/${target}/app.ts` || to.startsWith(`lambdas/${target}/handlers/`))) continue;
      out.push({ from, to, rule: `${area} may import only ${target}'s index.ts or contract${hosts.includes(area) ? " (or, as a host, its app.ts or handlers/)" : ""}` });
    }
  }
  return out;
}

/** Imports from platform areas (`shared`, `core`) into any service or host. */
export function platformViolations(graph: ModuleGraph, platform: readonly string[]): Violation[] {
  const out: Violation[] = [];
  for (const [from, imports] of graph) {
    const area = areaOf(from);
    if (area === undefined || !platform.includes(area)) continue;
    for (const to of imports) {
      const target = areaOf(to);
      if (target !== undefined && !platform.includes(target)) out.push({ from, to, rule: `${area}/ imports no service` });
    }
  }
  return out;
}

/**
 * Imports of a storage loader (`loaders`: the DynamoDB and S3 client modules and their loaders) by a service's
 * files other than its `store/` and `handlers/`: a service's domain modules hold rules and reach its records
 * through `store/` only. Platform code and hosts are not services and may load the clients.
 */
export function storageViolations(graph: ModuleGraph, services: readonly string[], loaders: readonly string[]): Violation[] {
  const out: Violation[] = [];
  for (const [from, imports] of graph) {
    const area = areaOf(from);
    if (area === undefined || !services.includes(area)) continue;
    if (from.startsWith(`lambdas/${area}/store/`) || from.startsWith(`lambdas/${area}/handlers/`)) continue;
    for (const to of imports) {
      if (loaders.includes(to)) out.push({ from, to, rule: `only ${area}'s store/ and handlers/ load the DynamoDB and S3 clients` });
    }
  }
  return out;
}

/**
 * The import circles of a graph, one per strongly connected component (Tarjan), each as a path that starts and
 * ends on the same file (`a → b → c → a`), the shortest one through the component's first file.
 */
export function importCycles(graph: ModuleGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const edges = (n: string): readonly string[] => (graph.get(n) ?? []).filter((m) => graph.has(m));
  // Iterative Tarjan: a long import chain must not overflow the call stack.
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: start, i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const out = edges(top.node);
      if (top.i < out.length) {
        const m = out[top.i++];
        if (!index.has(m)) {
          index.set(m, next);
          low.set(m, next++);
          stack.push(m);
          onStack.add(m);
          work.push({ node: m, i: 0 });
        } else if (onStack.has(m)) low.set(top.node, Math.min(low.get(top.node)!, index.get(m)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        let m: string;
        do {
          m = stack.pop()!;
          onStack.delete(m);
          component.push(m);
        } while (m !== top.node);
        const selfLoop = component.length === 1 && edges(component[0]).includes(component[0]);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }
  return components.map((c) => shortestCycle(graph, c)).sort((a, b) => a[0].localeCompare(b[0]));
}

/** The shortest path from a component's first file back to itself, within the component (breadth first). */
function shortestCycle(graph: ModuleGraph, component: readonly string[]): string[] {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const n = queue.shift()!;
    for (const m of graph.get(n) ?? []) {
      if (!members.has(m)) continue;
      if (m === start) {
        const path = [start];
        for (let at: string | undefined = n; at !== undefined && at !== start; at = previous.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(m)) {
        previous.set(m, n);
        queue.push(m);
      }
    }
  }
  return [start, start];
}
