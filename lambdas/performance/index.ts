/**
 * The performance service's front door: what other services may ask of it. The registry reads a version's
 * recent batch summaries here for the live fallback of its promotion gates.
 */
export { queryBatches, type StoredBatch } from "./store/batches.js";
