export * from './errors.js';
export * from './model.js';
export * from './estate/types.js';
export * from './estate/resource-types.js';
export { parseArn, accountOfPrincipal, isAccountId } from './estate/arn.js';
export { deriveFacts, admittedByKeyPolicy } from './estate/derive.js';
export { loadEstate, parseEstate, estateSchema, describeSchemaError, pointerToPath } from './estate/load-estate.js';
export { readInputFile, parseJsonText, lineColumnAt } from './io/read-input.js';
export * from './sources/plan/index.js';
