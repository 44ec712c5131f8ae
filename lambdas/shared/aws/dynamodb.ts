/**
 * The DynamoDB clients and the commands and errors mlwatch uses. Lambda code loads this module on first
 * use (`await loadDynamo()`, lambdas/shared/sdk/*.ts); tests and the local server reach the same instances
 * through lambdas/shared/aws.ts.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, NumberValue } from "@aws-sdk/lib-dynamodb";
import { parseStoredNumber, reviveNumbers } from "../dynamo-number.js";
import { safeWriteInput } from "../safe-marshall.js";
import { clientDefaults } from "./common.js";

export { ConditionalCheckFailedException, DescribeTableCommand, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
export { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";

let ddb: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;

/** The low-level DynamoDB client. */
export function dynamoClient(): DynamoDBClient {
  ddb ??= new DynamoDBClient(clientDefaults());
  return ddb;
}

/** A number's plain decimal text as the marshaller's exact number value. */
const decimalNumber = (text: string): unknown => NumberValue.from(text);

/** The parts of an output that hold items read from the table. */
const itemOutputs = ["Item", "Items", "Attributes", "Responses"] as const;

/**
 * The DynamoDB document client: plain JS values in and out, undefined attributes dropped. Every write's
 * attribute values pass through {@link safeWriteInput} first, so maps keyed by callers (`constructor`,
 * `toString`, …) are written as data, never read as structure (safe-marshall.ts). Every number, of any
 * size, is written and read back exactly (dynamo-number.ts): no safe-integer rule, no BigInt.
 */
export function documentClient(): DynamoDBDocumentClient {
  if (!doc) {
    doc = DynamoDBDocumentClient.from(dynamoClient(), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false, allowImpreciseNumbers: true },
      unmarshallOptions: { wrapNumbers: parseStoredNumber },
    });
    doc.middlewareStack.add(
      (next) => async (args) => {
        const result = await next({ ...args, input: safeWriteInput(args.input as Record<string, unknown>, decimalNumber) });
        const output = result.output as Record<string, unknown> | undefined;
        if (output) for (const part of itemOutputs) if (output[part] !== undefined) output[part] = reviveNumbers(output[part]);
        return result;
      },
      { step: "initialize", name: "mlwatchSafeUserMaps" },
    );
  }
  return doc;
}

/** Forgets the clients (tests that change the endpoint). */
export function resetDynamo(): void {
  ddb = undefined;
  doc = undefined;
}
