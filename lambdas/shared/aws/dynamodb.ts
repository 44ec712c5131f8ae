/**
 * The DynamoDB clients and the commands and errors mlwatch uses. Lambda code loads this module on first
 * use (`await loadDynamo()`, lambdas/shared/sdk/*.ts); tests and the local server reach the same instances
 * through lambdas/shared/aws.ts.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { safeWriteInput } from "../safe-marshall.js";
import { clientDefaults } from "./common.js";

export { ConditionalCheckFailedException, DescribeTableCommand, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
export { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";

let ddb: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;

/** The low-level DynamoDB client. */
export function dynamoClient(): DynamoDBClient {
  ddb ??= new DynamoDBClient(clientDefaults);
  return ddb;
}

/**
 * The DynamoDB document client: plain JS values in and out, undefined attributes dropped. Every write's
 * attribute values pass through {@link safeWriteInput} first, so maps keyed by callers (`constructor`,
 * `toString`, …) are written as data, never read as structure (safe-marshall.ts).
 */
export function documentClient(): DynamoDBDocumentClient {
  if (!doc) {
    doc = DynamoDBDocumentClient.from(dynamoClient(), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    doc.middlewareStack.add((next) => async (args) => next({ ...args, input: safeWriteInput(args.input as Record<string, unknown>) }), {
      step: "initialize",
      name: "mlwatchSafeUserMaps",
    });
  }
  return doc;
}

/** Forgets the clients (tests that change the endpoint). */
export function resetDynamo(): void {
  ddb = undefined;
  doc = undefined;
}
