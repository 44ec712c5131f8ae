/**
 * The AWS SDK as Lambda code reaches it: each client module (aws/*.ts: the client, the commands and errors
 * mlwatch uses) is loaded by a dynamic `import()` the first time a route needs it, then cached by the module
 * system. In a bundle each becomes its own chunk (lib/bundles.ts), so a cold start evaluates only the
 * clients its first requests send with, not all of them.
 *
 * @example
 * const { documentClient, GetCommand } = await loadDynamo();
 * const out = await documentClient().send(new GetCommand({ TableName: table, Key: key }));
 */

/** The S3 client and commands. */
export const loadS3 = (): Promise<typeof import("./aws/s3.js")> => import("./aws/s3.js");
/** The presigner and its S3 client. */
export const loadPresigner = (): Promise<typeof import("./aws/presign.js")> => import("./aws/presign.js");
/** The DynamoDB clients, commands and errors. */
export const loadDynamo = (): Promise<typeof import("./aws/dynamodb.js")> => import("./aws/dynamodb.js");
/** The SNS client and commands. */
export const loadSns = (): Promise<typeof import("./aws/sns.js")> => import("./aws/sns.js");
/** The CloudWatch (metrics) client and commands. */
export const loadCloudWatch = (): Promise<typeof import("./aws/cloudwatch.js")> => import("./aws/cloudwatch.js");
/** The CloudWatch Logs client, commands and errors. */
export const loadLogs = (): Promise<typeof import("./aws/logs.js")> => import("./aws/logs.js");
/** The EventBridge client and command. */
export const loadEventBridge = (): Promise<typeof import("./aws/eventbridge.js")> => import("./aws/eventbridge.js");
