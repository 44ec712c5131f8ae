/**
 * `mlwatch serve` in the installed @mlwatch/client package, which carries the API commands but not the
 * server, its emulator or the AWS SDK: the packaging script puts this module in place of serve.ts.
 */
export async function runServe(_argv: string[]): Promise<number> {
  process.stderr.write("mlwatch serve: the local server runs from a checkout of the mlwatch repository (npm ci && npm start); this package's commands talk to it or to a deployed API (--endpoint)\n");
  return 2;
}
