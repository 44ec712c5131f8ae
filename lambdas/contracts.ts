/**
 * Every service's contract, in the order the API documents and mounts them. CDK, the OpenAPI generator
 * and the clients start here; nothing reachable from this module loads a handler, a store or an SDK.
 * A new service adds its contract here (and its app to lambdas/local/services.ts).
 */
import { alertsContract } from "./alerts/contract.js";
import { driftContract } from "./drift/contract.js";
import { eventsContract } from "./events/contract.js";
import { performanceContract } from "./performance/contract.js";
import { registryContract } from "./registry/contract.js";
import { retrainingContract } from "./retraining/contract.js";
import type { ServiceContract } from "./shared/contract.js";

export { alertsContract, driftContract, eventsContract, performanceContract, registryContract, retrainingContract };

/** All contracts, in the order of the OpenAPI document. */
export const allContracts: readonly ServiceContract[] = [registryContract, eventsContract, driftContract, performanceContract, alertsContract, retrainingContract];
