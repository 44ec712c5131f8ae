/** The CloudWatch Logs client, commands and errors. Loaded on first use: see lambdas/shared/aws.ts. */
export const loadLogs = (): Promise<typeof import("../aws/logs.js")> => import("../aws/logs.js");
