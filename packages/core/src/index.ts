export * from './errors.js';
export * from './model.js';
export * from './estate/types.js';
export * from './estate/resource-types.js';
export { parseArn, accountOfPrincipal, isAccountId } from './estate/arn.js';
export { deriveFacts, admittedByKeyPolicy } from './estate/derive.js';
export { roleTrust, deriveIdentityAccountFacts, ancestorsOf, isServiceLinkedRole, type RoleTrust, type AccountIamRole } from './estate/derive-identity.js';
export { loadEstate, parseEstate, estateSchema, describeSchemaError, pointerToPath } from './estate/load-estate.js';
export { readInputFile, parseJsonText, lineColumnAt } from './io/read-input.js';
export * from './rules/types.js';
export * from './policy/types.js';
export { loadPolicy, parsePolicy, validateRuleDocument } from './policy/load-policy.js';
export { resolveRules, buildAccountViews, specialAccountIds, type ActiveRule } from './policy/resolve.js';
export { compileCondition, compilePath, type Verdict, type CompiledCondition, type Failure } from './engine/condition.js';
export type { EvalContext, AccountView, Relations } from './engine/context.js';
export { evaluate, accountResources, fingerprint, waiverExpired, type EvaluateInput, type Evaluation } from './engine/evaluate.js';
export { globToRegExp } from './engine/glob.js';
export { parseYaml, pointerToKeys, type YamlSource } from './io/yaml.js';
export { policySchema, ruleSchema } from './io/schema.js';
export { scan, type ScanInput, type Catalogue } from './scan.js';
export { renderReport, REPORTERS, availableFormats, type Reporter } from './report/index.js';
export { renderText } from './report/text.js';
export { renderJson, JSON_FORMAT_VERSION, type JsonReport } from './report/json.js';
export {
  renderSarif,
  artifactUri,
  SARIF_SCHEMA_URI,
  SARIF_MAX_RESULTS,
  SARIF_MAX_TAGS,
  SECURITY_SEVERITY,
} from './report/sarif.js';
export { renderJunit } from './report/junit.js';
export { compareWithBaseline, JSON_REPORT_FORMAT_VERSION } from './report/baseline.js';
export { renderMarkdown, escapeMarkdown } from './report/markdown.js';
export { expiringWaivers, calendarDaysBetween, DEFAULT_WARN_EXPIRING_DAYS, type ExpiringWaiver } from './report/waiver-expiry.js';
export { renderHtml, verdictOf, type HtmlReportOptions, type HtmlReportEstate, type Verdict as ReportVerdict } from './evidence/html.js';
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
// Live collection loads the AWS SDK; it has its own entry point, `@orglint/core/live`, so that
// scanning a file or a plan never pays for loading it.
export type { LiveCollectOptions, LiveCollection, LiveProgress, ClientTarget, CoverageCounts } from './sources/live/types.js';
export * from './sources/plan/index.js';
export { deriveInfrastructureFacts, deriveAccountFacts } from './estate/derive-infra.js';
