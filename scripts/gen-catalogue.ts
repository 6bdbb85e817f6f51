// Writes packages/rules/generated/catalogue.json from packages/rules/catalogue/*.yaml.
import { mkdirSync, writeFileSync } from 'node:fs';
import { CATALOGUE_SNAPSHOT, catalogueSnapshot, readCatalogueSources } from '@orglint/rules';

mkdirSync(new URL('./', CATALOGUE_SNAPSHOT), { recursive: true });
writeFileSync(CATALOGUE_SNAPSHOT, catalogueSnapshot(readCatalogueSources()));
console.log('wrote packages/rules/generated/catalogue.json');
