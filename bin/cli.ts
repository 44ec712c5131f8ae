/**
 * The `mlwatch` command line.
 *
 *   mlwatch serve                 run every route locally against an embedded AWS emulator
 *   mlwatch console --endpoint URL   the console's pages on 127.0.0.1 over a deployed API (SigV4)
 *   mlwatch demo                  fill a running mlwatch with a seeded history (see `mlwatch demo --help`)
 *   mlwatch drift --baseline F --current F [...]   compare two data files (see `mlwatch drift --help`)
 *   mlwatch models list|show|register|promote|rollback|approve|reject|approvals|alias|tag|policy   the registry through the API
 *   mlwatch drift check MODEL --data F   a drift check through the API
 *   mlwatch performance report MODEL     live performance through the API
 *   mlwatch retrain MODEL --reason TEXT  request retraining (event `mlwatch Retraining Requested`)
 *   mlwatch retraining-policy MODEL [--set k=v …]   show or change the retraining policy
 *   mlwatch alerts list|show|ack|resolve|test   the alert inbox through the API
 *   mlwatch baselines create|list|activate|import-model-monitor MODEL …   a model's drift baselines
 *   mlwatch performance record MODEL VERSION --data F, mlwatch ground-truth record MODEL --data F
 *   mlwatch api OPERATION_ID …    any operation by its operationId
 *
 * Errors: one line on stderr, exit code 2.
 */
/** True in the bin of the @mlwatch/client package (scripts/cli-bundle.mjs defines it), which has no server. */
const packaged = process.env.MLWATCH_PACKAGED_BIN === "1";

const serveLine = packaged ? "" : "  serve     serve the API on http://127.0.0.1:3000 (PORT overrides) against an embedded AWS emulator\n";

const usage = `usage: mlwatch <command> [options]

commands:
${serveLine}  console   the console (pages for models, drift, performance, alerts, audit) on 127.0.0.1 over a
            deployed API, signed with your AWS credentials ("mlwatch console --help")
  demo      fill a running mlwatch with a seeded history (two models, drift checks, batches, alerts)
  drift     compare a baseline and a current data file (CSV or JSON Lines) and print a drift report
  drift check MODEL --data FILE          check data for drift through the API
  models    list|show|register|promote|rollback|approve|reject|approvals|alias|tag|policy: the registry
  performance report MODEL               a model's live performance through the API
  performance record MODEL VERSION --data FILE [--task T]   record a batch of predictions with actuals
  ground-truth record MODEL --data FILE  join actuals to predictions logged earlier
  retrain MODEL --reason TEXT            request retraining by hand (EventBridge event; never rate-limited)
  retraining-policy MODEL [--set k=v]    show or change when retraining is requested automatically
  alerts    list|show|ack|resolve|test: the alert inbox through the API ("mlwatch alerts --help")
  baselines create|list|activate MODEL … a model's drift baselines ("mlwatch baselines --help")
  baselines import-model-monitor MODEL --statistics F --constraints F   import a SageMaker Model Monitor baseline
  api [OPERATION_ID …]                   any API operation by its operationId ("mlwatch api" lists them)

API commands take --endpoint URL (default $MLWATCH_ENDPOINT, else the server "npm start" runs in this checkout,
else http://127.0.0.1:3000; a deployed API is signed with SigV4 from the default AWS credentials) and --json; run "mlwatch models --help".
  help      show this text
`;

// Local mode runs on the developer's Node (20 here); the deployed Lambdas run Node 22, so the SDK's
// notice about Node 20's end of support says nothing actionable to a local user.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/**
 * Runs one `mlwatch` command: what it prints goes to `process.stdout` and `process.stderr`.
 * @returns the exit code, or -1 when the command keeps running (`serve`, `console`)
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve": {
      // Read by each logger when it is created, some of them on import: set before the server's modules load.
      process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
      const { runServe } = await import("./commands/serve.js");
      return runServe(rest);
    }
    case "console": {
      const { runConsole } = await import("./commands/console.js");
      return runConsole(rest);
    }
    case "drift": {
      if (rest[0] === "check") {
        const { runDriftCheck } = await import("./commands/drift-check.js");
        return runDriftCheck(rest.slice(1));
      }
      const { runDrift } = await import("./commands/drift.js");
      return runDrift(rest);
    }
    case "models": {
      const { runModels } = await import("./commands/models.js");
      return runModels(rest);
    }
    case "alerts": {
      const { runAlerts } = await import("./commands/alerts.js");
      return runAlerts(rest);
    }
    case "demo": {
      const { runDemo } = await import("./commands/demo.js");
      return runDemo(rest);
    }
    case "performance": {
      const { runPerformance } = await import("./commands/performance.js");
      return runPerformance(rest);
    }
    case "ground-truth": {
      const { runGroundTruth } = await import("./commands/performance.js");
      return runGroundTruth(rest);
    }
    case "api": {
      const { runApi } = await import("./commands/api.js");
      return runApi(rest);
    }
    case "retrain": {
      const { runRetrain } = await import("./commands/retraining.js");
      return runRetrain(rest);
    }
    case "baselines": {
      const { runBaselines } = await import("./commands/baselines.js");
      return runBaselines(rest);
    }
    case "retraining-policy": {
      const { runRetrainingPolicy } = await import("./commands/retraining.js");
      return runRetrainingPolicy(rest);
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(usage);
      return 0;
    default:
      process.stderr.write(`mlwatch: unknown command "${command}"; run "mlwatch help" for the list\n`);
      return 2;
  }
}

/**
 * {@link main} with its errors as the command line reports them: one line on stderr and exit code 2.
 * The tests call this in-process (test/integration/cli/run-cli.ts); bin/mlwatch.ts calls it as the process.
 */
export async function runCommandLine(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (err) {
    process.stderr.write(`mlwatch: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}\n`);
    return 2;
  }
}
