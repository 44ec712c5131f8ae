/**
 * AWS SDK v3 clients, created once per module and shared by every store — the synchronous view for the
 * local server, the tests and the benchmarks. Each client lives in its own module (aws/*.ts: the client
 * and the commands and errors mlwatch uses). Lambda code never imports this file nor those modules
 * statically: it loads one the first time a request needs it, through its loader in sdk/*.ts
 *
 *   const { documentClient, GetCommand } = await loadDynamo();   // sdk/dynamodb.ts
 *
 * so in a bundle each client is a chunk a cold start does not evaluate (lib/bundles.ts). One loader a file:
 * esbuild emits a chunk for every `import()` in a module it includes, used or not, so a shared loader
 * module would put every client in every function's asset. Both views give the same instances.
 * All clients honour `AWS_ENDPOINT_URL` (the emulator in local mode and tests); S3 then needs path-style URLs.
 */
import { resetCloudWatch } from "./aws/cloudwatch.js";
import { resetDynamo } from "./aws/dynamodb.js";
import { resetEventBridge } from "./aws/eventbridge.js";
import { resetLogs } from "./aws/logs.js";
import { resetPresign } from "./aws/presign.js";
import { resetS3 } from "./aws/s3.js";
import { resetSns } from "./aws/sns.js";

export { cloudWatchClient } from "./aws/cloudwatch.js";
export { documentClient, dynamoClient } from "./aws/dynamodb.js";
export { eventBridgeClient } from "./aws/eventbridge.js";
export { logsClient } from "./aws/logs.js";
export { presignS3Client } from "./aws/presign.js";
export { s3Client } from "./aws/s3.js";
export { snsClient } from "./aws/sns.js";

/** Forgets every client, so the next call builds new ones (tests that change the endpoint). */
export function resetClients(): void {
  resetS3();
  resetPresign();
  resetDynamo();
  resetSns();
  resetCloudWatch();
  resetLogs();
  resetEventBridge();
}
