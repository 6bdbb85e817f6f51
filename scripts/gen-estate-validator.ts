// Writes packages/core/generated/estate-validator.js from the estate schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { estateValidatorSource } from '../packages/core/src/estate/estate-validator.ts';

const schema = JSON.parse(readFileSync(new URL('../packages/core/schemas/estate.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
writeFileSync(new URL('../packages/core/generated/estate-validator.js', import.meta.url), estateValidatorSource(schema));
console.log('wrote packages/core/generated/estate-validator.js');
