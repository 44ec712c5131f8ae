/** The S3 client and commands. Loaded on first use: see lambdas/shared/aws.ts. */
export const loadS3 = (): Promise<typeof import("../aws/s3.js")> => import("../aws/s3.js");
