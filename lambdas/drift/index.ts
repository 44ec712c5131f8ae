/**
 * The drift service's front door: what other services and hosts may ask of it. The CLI (`mlwatch drift`)
 * profiles a baseline file and compares data with it here, on the same path as the service, so the same data
 * gives the same report. Pure: nothing here loads an SDK client or touches I/O.
 *
 * The routes' definitions are the contract's (contract.ts); the local server and the console mount the app
 * (app.ts); the Lambda entry points are in handlers/.
 */
export { compareWithBaseline, loadTables } from "./compare-data.js";
export { buildProfile, profileKinds, type BaselineProfile } from "./profile.js";
