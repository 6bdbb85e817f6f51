import { readFileSync } from 'node:fs';

/** orglint's own version, from the CLI package. */
export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
