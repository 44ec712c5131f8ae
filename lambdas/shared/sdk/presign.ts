/** The presigner and its S3 client. Loaded on first use: see lambdas/shared/aws.ts. */
export const loadPresigner = (): Promise<typeof import("../aws/presign.js")> => import("../aws/presign.js");
