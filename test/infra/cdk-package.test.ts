/**
 * @mlwatch/cdk as a platform team gets it: scripts/package-cdk.mjs builds the tarball, a scratch app (a temp
 * folder with only the tarball's contents and the aws-cdk-lib/constructs peers — no esbuild, no lockfile, no
 * other dependency to resolve) synthesizes MlwatchMonitoring, and a strict NodeNext TypeScript consumer
 * type-checks against the package's declarations.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Match, Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lambdaEntries } from "../../lib/bundles.js";
import { routeThrough } from "../../lib/gateway-plan.js";
import { samplePath, templateGateway } from "./gateway.js";

const root = process.cwd();
let dir: string;
let tarball: string;
let app: string;
let template: Template;
let synthOut: string;

const sha = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");

const appSource = `import { App, CfnOutput, Stack } from "aws-cdk-lib";
import { MlwatchMonitoring } from "@mlwatch/cdk";

const app = new App({ outdir: "out" });
const stack = new Stack(app, "Scratch", { env: { account: "123456789012", region: "eu-west-1" } });
const props = { alertEmails: ["ml-team@example.com"], retainData: false, logRetentionDays: 14 };
const monitoring = new MlwatchMonitoring(stack, "Mlwatch", props);
new CfnOutput(stack, "Api", { value: monitoring.api.url });
app.synth();
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mlwatch-cdk-package-"));
  tarball = execFileSync(process.execPath, ["scripts/package-cdk.mjs", "--out", join(dir, "dist")], { cwd: root, encoding: "utf8" }).trim().split("\n").pop()!;
  app = join(dir, "app");
  mkdirSync(join(app, "node_modules", "@mlwatch"), { recursive: true });
  execFileSync("tar", ["xzf", tarball, "-C", join(app, "node_modules", "@mlwatch")]);
  execFileSync("mv", [join(app, "node_modules", "@mlwatch", "package"), join(app, "node_modules", "@mlwatch", "cdk")]);
  // The peers, from our node_modules (what `npm install aws-cdk-lib constructs` gives a user).
  symlinkSync(join(root, "node_modules", "aws-cdk-lib"), join(app, "node_modules", "aws-cdk-lib"));
  symlinkSync(join(root, "node_modules", "constructs"), join(app, "node_modules", "constructs"));
  writeFileSync(join(app, "package.json"), JSON.stringify({ type: "module", private: true }));
  writeFileSync(join(app, "app.mjs"), appSource);
  const run = spawnSync(process.execPath, ["app.mjs"], { cwd: app, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`scratch app synth failed:\n${run.stderr}`);
  synthOut = join(app, "out");
  template = Template.fromJSON(JSON.parse(readFileSync(join(synthOut, "Scratch.template.json"), "utf8")));
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("@mlwatch/cdk from its tarball", () => {
  it("holds the bundled construct, its declarations and one prebuilt bundle per function, and names only peers", () => {
    // Act
    const files = execFileSync("tar", ["tzf", tarball], { encoding: "utf8" }).split("\n");
    const manifest = JSON.parse(readFileSync(join(app, "node_modules", "@mlwatch", "cdk", "package.json"), "utf8"));
    // Assess
    expect(tarball).toMatch(/mlwatch-cdk-\d+\.\d+\.\d+\.tgz$/);
    expect(files).toContain("package/dist/index.js");
    expect(files).toContain("package/types/lib/index.d.ts");
    for (const name of Object.keys(lambdaEntries)) expect(files).toContain(`package/lambda/${name}/index.mjs`);
    expect(files.some((f) => /^package\/(test|bench|scripts|node_modules)\//.test(f))).toBe(false);
    expect(manifest.name).toBe("@mlwatch/cdk");
    expect(manifest.dependencies).toBeUndefined();
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(["aws-cdk-lib", "constructs"]);
    expect(existsSync(join(app, "node_modules", "esbuild"))).toBe(false);
    expect(existsSync(join(app, "package-lock.json"))).toBe(false);
  });

  it("synthesizes the functions, the API, the table and the topic in a scratch app, with the props applied", () => {
    // Assess
    const functions = template.findResources("AWS::Lambda::Function", { Properties: { Architectures: ["arm64"] } });
    expect(Object.keys(functions)).toHaveLength(Object.keys(lambdaEntries).length);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({ Handler: "index.handler", Runtime: "nodejs24.x", TracingConfig: { Mode: "Active" } });
    }
    template.resourceCountIs("AWS::ApiGateway::RestApi", 1);
    const paths = JSON.parse(readFileSync(join(root, "docs", "openapi.json"), "utf8")).paths as Record<string, Record<string, unknown>>;
    // Every documented operation reaches a function through the API's resources, behind AWS_IAM.
    const gateway = templateGateway(template);
    const operations = Object.entries(paths).flatMap(([path, item]) => Object.keys(item).filter((m) => ["get", "put", "post", "delete", "patch"].includes(m)).map((m) => [m, path]));
    expect(operations.length).toBeGreaterThan(50);
    for (const [method, path] of operations) expect(routeThrough(gateway, method, samplePath(path)), `${method} ${path}`).toMatch(/Function/);
    for (const [id, m] of Object.entries(template.findResources("AWS::ApiGateway::Method"))) expect(m.Properties.AuthorizationType, id).toBe("AWS_IAM");
    template.hasResourceProperties("AWS::DynamoDB::Table", { KeySchema: Match.arrayWith([{ AttributeName: "pk", KeyType: "HASH" }]) });
    template.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "email", Endpoint: "ml-team@example.com" });
    template.hasResource("AWS::S3::Bucket", { DeletionPolicy: "Delete" });
    template.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 14 });
  });

  it("deploys the prebuilt bundles byte for byte: no bundling happened in the user's app", () => {
    // Prepare
    const assets = readdirSync(synthOut).filter((d) => d.startsWith("asset."));
    const assetHashes = new Set(assets.filter((d) => existsSync(join(synthOut, d, "index.mjs"))).map((d) => sha(join(synthOut, d, "index.mjs"))));
    // Assess
    for (const name of Object.keys(lambdaEntries)) {
      // The AWS SDK is inside the bundle (lib/bundles.ts, bundleAwsSdk), not imported from the runtime.
      expect(readFileSync(join(app, "node_modules", "@mlwatch", "cdk", "lambda", name, "index.mjs"), "utf8")).not.toMatch(/from\s*["']@aws-sdk\//);
      expect(assetHashes.has(sha(join(app, "node_modules", "@mlwatch", "cdk", "lambda", name, "index.mjs")))).toBe(true);
    }
  });

  it("type-checks a strict NodeNext TypeScript consumer with skipLibCheck false: no error in the package's declarations", () => {
    // Prepare
    writeFileSync(
      join(app, "app.mts"),
      appSource.replace('import { MlwatchMonitoring } from "@mlwatch/cdk";', 'import { MlwatchMonitoring, type MlwatchMonitoringProps } from "@mlwatch/cdk";').replace("const props =", "const props: MlwatchMonitoringProps ="),
    );
    const options = { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2023", "ESNext.Disposable"], strict: true, skipLibCheck: false, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noEmit: true, types: [] };
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({ compilerOptions: options, files: ["app.mts"] }));
    // Act
    const run = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", app], { cwd: app, encoding: "utf8" });
    // Assess: aws-cdk-lib's own declarations do not pass exactOptionalPropertyTypes; ours and the app must.
    const errors = run.stdout.split("\n").filter((l) => /error TS\d+/.test(l));
    expect(errors.filter((l) => !l.includes("node_modules/aws-cdk-lib/"))).toEqual([]);
    expect(run.stdout).not.toContain("@mlwatch/cdk");
  }, 300_000);
});
