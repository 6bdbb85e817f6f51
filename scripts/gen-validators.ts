// Writes packages/core/generated/*.js, the schema validators precompiled by ajv (pnpm gen:validators).
import { writeFileSync } from 'node:fs';
import { generatedValidators } from '../packages/core/src/io/validator-sources.ts';

for (const { path, source } of generatedValidators()) {
  writeFileSync(new URL(`../packages/core/${path}`, import.meta.url), source);
  console.log(`wrote packages/core/${path}`);
}
