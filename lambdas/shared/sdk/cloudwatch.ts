/** The CloudWatch (metrics) client and commands. Loaded on first use: see lambdas/shared/aws.ts. */
export const loadCloudWatch = (): Promise<typeof import("../aws/cloudwatch.js")> => import("../aws/cloudwatch.js");
