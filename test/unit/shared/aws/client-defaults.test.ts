/**
 * Every AWS SDK client in lambdas/ and bin/ is built with the shared client defaults (retries and the HTTP
 * timeouts of lambdas/shared/aws/common.ts): without them a stalled connection holds its request forever.
 * A static scan of the syntax trees: a client class is any `…Client` imported (or loaded with `await
 * import`) from an `@aws-sdk/client-*` package, under whatever local name; its `new` must take
 * `clientDefaults()` or an object spreading it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = new URL("../../../../", import.meta.url).pathname;

const sdkPackage = (spec: ts.Node | undefined): boolean => spec !== undefined && ts.isStringLiteral(spec) && spec.text.startsWith("@aws-sdk/client-");

/** The local names bound to SDK client classes in a file. */
function clientNames(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && sdkPackage(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
      const bindings = node.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) if ((el.propertyName ?? el.name).text.endsWith("Client") && !el.isTypeOnly) names.add(el.name.text);
    }
    // const { XClient: Alias } = await import(…), of an @aws-sdk/client-* package
    if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) {
      const init = ts.isAwaitExpression(node.initializer) ? node.initializer.expression : node.initializer;
      if (ts.isCallExpression(init) && init.expression.kind === ts.SyntaxKind.ImportKeyword && sdkPackage(init.arguments[0])) {
        for (const el of node.name.elements) {
          const imported = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : ts.isIdentifier(el.name) ? el.name.text : "";
          if (imported.endsWith("Client") && ts.isIdentifier(el.name)) names.add(el.name.text);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return names;
}

const isDefaultsCall = (e: ts.Expression): boolean => ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "clientDefaults";

/** `clientDefaults(…)` or `{ …clientDefaults(…), … }`. */
const takesDefaults = (arg: ts.Expression | undefined): boolean =>
  arg !== undefined && (isDefaultsCall(arg) || (ts.isObjectLiteralExpression(arg) && arg.properties.some((p) => ts.isSpreadAssignment(p) && isDefaultsCall(p.expression))));

/** Every SDK client construction in `source`: where, and whether it takes the defaults. */
function clientConstructions(path: string, source: string): { at: string; defaults: boolean }[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const names = clientNames(file);
  const found: { at: string; defaults: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && names.has(node.expression.text)) {
      const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      found.push({ at: `${path}:${line}`, defaults: takesDefaults(node.arguments?.[0]) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

describe("AWS SDK clients take the shared defaults", () => {
  it("the scan sees a client built without them, under its own name or an alias, imported or loaded on use", () => {
    const bad = [
      'import { SQSClient } from "@aws-sdk/client-sqs";\nconst c = new SQSClient({ maxAttempts: 3 });',
      'import { SQSClient as Q } from "@aws-sdk/client-sqs";\nconst c = new Q();',
      'const { SFNClient: Client } = await import("@aws-sdk/client-sfn");\nconst c = new Client({ region: "x" });',
      'const { LambdaClient } = await import("@aws-sdk/client-lambda");\nconst c = new LambdaClient(opts);',
      'import { S3Client } from "@aws-sdk/client-s3";\nconst c = new S3Client({ forcePathStyle: true, ...other() });',
    ];
    for (const source of bad) expect(clientConstructions("x.ts", source), source).toEqual([{ at: "x.ts:2", defaults: false }]);
  });

  it("the scan accepts the defaults alone or spread into more options, and ignores what is not an SDK client", () => {
    const good = 'import { S3Client } from "@aws-sdk/client-s3";\nimport { MlwatchClient } from "../client/index.js";\nconst a = new S3Client(clientDefaults());\nconst b = new S3Client({ ...clientDefaults(), forcePathStyle: true });\nconst c = new MlwatchClient({});';
    expect(clientConstructions("y.ts", good)).toEqual([
      { at: "y.ts:3", defaults: true },
      { at: "y.ts:4", defaults: true },
    ]);
  });

  it("every client built in lambdas/ and bin/ takes them", () => {
    const all = [...sourceFiles("lambdas"), ...sourceFiles("bin")].flatMap((path) => clientConstructions(relative(root, join(root, path)), readFileSync(join(root, path), "utf8")));
    // The scan reaches the shared clients and the ones loaded on use (not a vacuous pass).
    const files = new Set(all.map((c) => c.at.replace(/:\d+$/, "")));
    expect([...files]).toEqual(expect.arrayContaining(["lambdas/shared/aws/s3.ts", "lambdas/shared/aws/dynamodb.ts", "lambdas/shared/async-job.ts", "lambdas/drift/fanout.ts", "lambdas/local/event-relay.ts"]));
    expect(all.filter((c) => !c.defaults).map((c) => c.at)).toEqual([]);
  });
});
