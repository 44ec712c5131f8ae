/** The SNS client and commands. Loaded on first use: see lambdas/shared/aws.ts. */
export const loadSns = (): Promise<typeof import("../aws/sns.js")> => import("../aws/sns.js");
