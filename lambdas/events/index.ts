/**
 * The events service's front door: what other services may ask of it — reading the audit trail back.
 * (Writing to the audit trail is platform code: lambdas/shared/audit.ts.)
 */
export { readAudit, type AuditPage, type AuditQuery } from "./store/audit.js";
