/** The DynamoDB clients, commands and errors. Loaded on first use: see lambdas/shared/aws.ts. */
export const loadDynamo = (): Promise<typeof import("../aws/dynamodb.js")> => import("../aws/dynamodb.js");
