export * from './errors.js';
export * from './model.js';
export * from './estate/types.js';
export * from './estate/resource-types.js';
export { parseArn, accountOfPrincipal, isAccountId } from './estate/arn.js';
export { deriveFacts, admittedByKeyPolicy } from './estate/derive.js';
export { loadEstate, parseEstate, estateSchema, describeSchemaError, pointerToPath } from './estate/load-estate.js';
export { readInputFile, parseJsonText, lineColumnAt } from './io/read-input.js';
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
