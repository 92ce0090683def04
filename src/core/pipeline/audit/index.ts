/**
 * The audit pipeline's door: the audit-to-target loop, its settings, the facts resume reads and
 * its summary.
 */
export { readAuditFacts } from './auditFacts';
export { auditPipeline } from './auditPipeline';
export { auditChoices, type AuditChoices, type AuditRequest, resolveAuditSettings } from './auditSettings';
export { auditSummaryOf } from './auditSummary';
