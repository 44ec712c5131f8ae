/** Settings every AWS SDK client shares (lambdas/shared/aws/*.ts). */

/** True when `AWS_ENDPOINT_URL` points the clients at an emulator (local mode, tests): S3 then needs path-style URLs. */
export const endpointOverride = (): boolean => Boolean(process.env.AWS_ENDPOINT_URL);

/** Transient errors are retried by the SDK; three attempts keep a Lambda well within its timeout. */
export const clientDefaults = { maxAttempts: 3 } as const;
