// The floor: read and JSON.parse the file, nothing else.
import { readFileSync } from 'node:fs';
const doc = JSON.parse(readFileSync(process.argv[2], 'utf8'));
if (!doc.resources) process.exitCode = 1;
process.stderr.write(`maxrss-kb ${process.resourceUsage().maxRSS}\n`);
