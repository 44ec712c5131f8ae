/** The EventBridge client and command. Loaded on first use: see lambdas/shared/aws.ts. */
export const loadEventBridge = (): Promise<typeof import("../aws/eventbridge.js")> => import("../aws/eventbridge.js");
