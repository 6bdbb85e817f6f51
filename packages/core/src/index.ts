export * from './errors.js';
export * from './model.js';
export * from './estate/types.js';
export * from './estate/resource-types.js';
export { parseArn, accountOfPrincipal, isAccountId } from './estate/arn.js';
export { deriveFacts, admittedByKeyPolicy } from './estate/derive.js';
export { loadEstate, parseEstate, estateSchema, describeSchemaError, pointerToPath } from './estate/load-estate.js';
export { readInputFile, parseJsonText, lineColumnAt } from './io/read-input.js';
export { compareWithBaseline, JSON_REPORT_FORMAT_VERSION } from './report/baseline.js';
export { renderMarkdown, escapeMarkdown } from './report/markdown.js';
export { expiringWaivers, calendarDaysBetween, DEFAULT_WARN_EXPIRING_DAYS, type ExpiringWaiver } from './report/waiver-expiry.js';
export { renderHtml, verdictOf, type HtmlReportOptions, type HtmlReportEstate, type Verdict } from './evidence/html.js';
export { renderFrameworkCsv, frameworkControlRows, type FrameworkControlRow } from './evidence/frameworks.js';
export {
  buildEvidenceBundle,
  writeEvidenceBundle,
  verifyEvidenceBundle,
  EVIDENCE_FORMAT_VERSION,
  type BundleFile,
  type EvidenceBundleInput,
  type EvidenceManifest,
  type ManifestEntry,
  type EvidenceVerification,
} from './evidence/bundle.js';
