import { handleFailedInvocation, type FailedInvocationRecord } from "../job-failure.js";

/** Lambda entry of the drift worker's on-failure destination (see job-failure.ts). */
export const handler = async (record: FailedInvocationRecord): Promise<void> => {
  await handleFailedInvocation(record);
};
