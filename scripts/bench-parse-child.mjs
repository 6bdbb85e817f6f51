// The floor: read and JSON.parse the file, nothing else (argv[3]: a key that must be present).
import { readFileSync } from 'node:fs';
const doc = JSON.parse(readFileSync(process.argv[2], 'utf8'));
if (!doc[process.argv[3] ?? 'resources']) process.exitCode = 1;
process.stderr.write(`maxrss-kb ${process.resourceUsage().maxRSS}\n`);
