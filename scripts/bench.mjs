// pnpm bench — orglint's performance figures, in three sections, each in fresh processes:
//  1. live: collection from moto (20 accounts, 2 regions, a few hundred IAM users): calls per
//     account, wall time at concurrency 1 and 8 (scripts/bench-live.ts; skipped without moto_server);
//  2. plan: a generated ~100 MB terraform plan: `orglint scan --plan` against JSON.parse of it;
//  3. estate: a deterministic synthetic estate (1,000 accounts, 200,000 resources, ~105 MB):
//     `orglint scan` with every built-in rule under the S.E.T example policy against JSON.parse.
// Median of BENCH_RUNS (default 3) runs. The last line is `ratio scan/parse: <x.xx>  peak-rss-mb: <n>`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';

const root = new URL('../', import.meta.url);
const dir = new URL('.bench/', root);
mkdirSync(dir, { recursive: true });
const estateFile = new URL('estate.json', dir).pathname;
const policyFile = new URL('policy.yaml', dir).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function generate() {
  const rand = mulberry32(42);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const ACCOUNTS = 1000;
  const RESOURCES = 200_000;
  const regions = ['eu-west-1', 'il-central-1'];
  const accounts = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const id = String(100000000000 + i * 7919);
    const env = i === 0 ? 'management' : i === 1 ? 'shared-services' : i % 2 ? 'prod' : 'nonprod';
    accounts.push({
      id,
      name: i < 2 ? `set-${env}` : `set-${env}-${String(i).padStart(4, '0')}`,
      email: `aws+${i}@example.com`,
      ouPath: i === 0 ? '/' : i === 1 ? '/Infrastructure' : env === 'prod' ? '/Workloads/Prod' : '/Workloads/NonProd',
      status: 'ACTIVE',
      tags: { environment: env, owner: `team-${i % 40}`, 'cost-center': `cc-${i % 97}` },
    });
  }
  const out = createWriteStream(estateFile);
  const write = async (s) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(`{"schemaVersion":1,"source":{"kind":"synthetic","collectedAt":"2026-11-22T02:00:00.000Z","tool":"orglint bench"},`);
  await write(`"organization":{"id":"o-bench","managementAccountId":"${accounts[0].id}","organizationalUnits":[{"id":"ou-i","path":"/Infrastructure"},{"id":"ou-w","path":"/Workloads"},{"id":"ou-p","path":"/Workloads/Prod"},{"id":"ou-n","path":"/Workloads/NonProd"}],"policies":[{"id":"p-full","name":"FullAWSAccess","type":"SERVICE_CONTROL_POLICY","awsManaged":true,"targets":["/"]},{"id":"p-regions","name":"deny-outside-allowed-regions","type":"SERVICE_CONTROL_POLICY","targets":["/Workloads"]}]},`);
  await write(`"accounts":${JSON.stringify(accounts)},"resources":[`);
  const types = ['aws.iam.user', 'aws.iam.user', 'aws.ec2.instance', 'aws.ec2.instance', 'aws.s3.bucket', 'aws.rds.instance', 'aws.kms.key', 'aws.rds.snapshot', 'aws.lambda.function', 'aws.ecr.repository', 'aws.rds.cluster'];
  const classes = ['synthetic', 'sanitized', 'customer', 'internal'];
  // Collected estates list resources in (type, id) order; so does this one.
  const records = [];
  let n = 0;
  const emit = async (r) => {
    n++;
    records.push(r);
  };
  // The control plane every account has: the break-glass role, and in the management and
  // shared-services accounts the organisation's analyzers, trail and log archive.
  const management = accounts[0].id;
  const logArchive = accounts[1].id;
  const regionsOf = (a) => (a.tags.environment === 'prod' ? regions : ['eu-west-1']);
  for (const region of regions) {
    const arn = `arn:aws:access-analyzer:${region}:${management}:analyzer/org`;
    await emit({ type: 'aws.accessanalyzer.analyzer', id: arn, arn, account: management, region, name: 'org', tags: {}, properties: { analyzerType: 'ORGANIZATION', status: 'ACTIVE', activeFindings: 0 } });
  }
  const trail = `arn:aws:cloudtrail:eu-west-1:${management}:trail/org-trail`;
  await emit({ type: 'aws.cloudtrail.trail', id: trail, arn: trail, account: management, region: 'eu-west-1', name: 'org-trail', tags: {}, properties: { isOrganizationTrail: true, isMultiRegionTrail: true, logFileValidation: true, isLogging: true, managementEvents: 'All', s3BucketName: 'set-org-audit-logs', kmsKeyId: null, homeRegion: 'eu-west-1' } });
  await emit({ type: 'aws.s3.bucket', id: 'arn:aws:s3:::set-org-audit-logs', arn: 'arn:aws:s3:::set-org-audit-logs', account: logArchive, region: 'eu-west-1', name: 'set-org-audit-logs', tags: { 'data-classification': 'internal' }, properties: { replicationRules: [], encryption: { algorithm: 'AES256', kmsKeyId: null }, expirationDays: null } });
  for (const a of accounts.slice(1)) {
    const arn = `arn:aws:iam::${a.id}:role/OrganizationAccountAccessRole`;
    await emit({ type: 'aws.iam.role', id: arn, arn, account: a.id, region: 'global', name: 'OrganizationAccountAccessRole', tags: {}, properties: { path: '/', attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'], inlinePolicies: [], trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${management}:root` }, Action: 'sts:AssumeRole' }] } } });
  }
  for (const a of accounts) {
    await emit({ type: 'aws.iam.root', id: `arn:aws:iam::${a.id}:root`, arn: `arn:aws:iam::${a.id}:root`, account: a.id, region: 'global', name: 'root', tags: {}, properties: { mfaEnabled: rand() > 0.05, hardwareMfa: rand() > 0.3, accessKeys: 0 } });
  }
  for (let i = n; i < RESOURCES; i++) {
    // Workloads live in workload accounts; now and then one strays into the management account.
    const a = rand() < 0.0005 ? accounts[0] : accounts[2 + Math.floor(rand() * (ACCOUNTS - 2))];
    const region = a.tags.environment === 'prod' ? pick(regions) : 'eu-west-1';
    const type = pick(types);
    const k = `${type.split('.').pop()}-${i}`;
    // Mostly compliant, as real estates are: a few percent of each kind of violation.
    const prod = a.tags.environment === 'prod';
    const sameEnv = () => {
      for (;;) {
        const b = pick(accounts);
        if (b.tags.environment === a.tags.environment) return b;
      }
    };
    const dataClass = rand() < 0.03 ? pick(classes) : prod ? 'customer' : pick(['synthetic', 'sanitized']);
    const tags = { 'data-classification': dataClass, owner: a.tags.owner, service: `svc-${i % 300}`, 'cost-center': a.tags['cost-center'] };
    const keyAccount = rand() < 0.03 ? pick(accounts).id : a.id;
    const key = `arn:aws:kms:${region}:${keyAccount}:key/${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}-1111-4222-8333-444455556666`;
    const retention = rand() < 0.05 ? pick([1, 7]) : prod ? 35 : pick([3, 7]);
    let r;
    switch (type) {
      case 'aws.iam.user': {
        // Keys are rotated: most are younger than 90 days, a few are stale.
        const keyCreated = new Date(Date.parse('2026-11-22T00:00:00Z') - Math.floor((rand() < 0.04 ? 100 + rand() * 300 : rand() * 85) * 86400000)).toISOString();
        r = { arn: `arn:aws:iam::${a.id}:user/${k}`, region: 'global', properties: { consolePassword: rand() > 0.4, mfaDevices: rand() > 0.03 ? [{ serial: `arn:aws:iam::${a.id}:mfa/${k}`, kind: 'virtual' }] : [], accessKeys: [{ id: `AKIA${String(i).padStart(16, '0')}`, status: 'Active', createdAt: keyCreated, lastUsedAt: '2026-11-20T00:00:00Z' }], groups: ['engineers'], attachedPolicies: [], inlinePolicies: [], createdAt: '2025-06-01T00:00:00Z' } };
        break;
      }
      case 'aws.ec2.instance':
        r = { arn: `arn:aws:ec2:${region}:${a.id}:instance/i-${i.toString(16).padStart(17, '0')}`, properties: { state: 'running', instanceType: pick(['t3.micro', 'm6g.large', 'c7g.xlarge']), securityGroups: [`sg-${i % 5000}`], subnetId: `subnet-${i % 3000}` } };
        break;
      case 'aws.s3.bucket': {
        const dest = rand() < 0.05 ? pick(accounts) : sameEnv();
        r = { arn: `arn:aws:s3:::bench-${k}`, properties: { replicationRules: rand() > 0.9 ? [{ id: 'r1', status: 'Enabled', destinationBucket: `arn:aws:s3:::bench-replica-${i}`, destinationAccount: dest.id, prefix: pick(['', 'exports/', 'public-datasets/']) }] : [], encryption: { algorithm: 'aws:kms', kmsKeyId: key }, expirationDays: null } };
        break;
      }
      case 'aws.rds.instance':
        r = { arn: `arn:aws:rds:${region}:${a.id}:db:${k}`, properties: { engine: 'postgres', instanceClass: 'db.m6g.large', backupRetentionDays: retention, multiAz: prod ? rand() > 0.02 : false, backupReplicationRegions: prod && rand() > 0.02 ? ['eu-central-1'] : [], storageEncrypted: true, kmsKeyId: key, clusterId: null, publiclyAccessible: false } };
        break;
      case 'aws.rds.cluster':
        r = { arn: `arn:aws:rds:${region}:${a.id}:cluster:${k}`, properties: { engine: 'aurora-postgresql', backupRetentionDays: retention, multiAz: true, backupReplicationRegions: prod && rand() > 0.02 ? ['eu-central-1'] : [], storageEncrypted: true, kmsKeyId: key } };
        break;
      case 'aws.rds.snapshot':
        r = { arn: `arn:aws:rds:${region}:${a.id}:snapshot:${k}`, properties: { sourceArn: `arn:aws:rds:${region}:${a.id}:db:db-${i}`, sharedWith: rand() < 0.03 ? [pick(accounts).id] : rand() < 0.1 ? [sameEnv().id] : [], encrypted: true, kmsKeyId: key } };
        break;
      case 'aws.kms.key': {
        const other = rand() < 0.3 ? pick(accounts).id : sameEnv().id;
        r = { arn: `arn:aws:kms:${region}:${a.id}:key/${k}`, properties: { manager: rand() > 0.2 ? 'CUSTOMER' : 'AWS', state: 'Enabled', rotationEnabled: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${a.id}:root` }, Action: 'kms:*', Resource: '*' }, ...(rand() > 0.85 ? [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${other}:root` }, Action: 'kms:Decrypt', Resource: '*' }] : [])] } } };
        break;
      }
      case 'aws.lambda.function':
        r = { arn: `arn:aws:lambda:${region}:${a.id}:function:${k}`, properties: { runtime: 'nodejs22.x' } };
        break;
      default:
        r = { arn: `arn:aws:ecr:${region}:${a.id}:repository/${k}`, properties: { kmsKeyId: null } };
    }
    await emit({ type, id: r.arn, arn: r.arn, account: a.id, region: r.region ?? region, name: k, tags, properties: r.properties });
  }
  records.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 0; i < records.length; i++) await write((i === 0 ? '' : ',') + JSON.stringify(records[i]));
  await write('],"coverage":');
  const services = ['accessanalyzer', 'backup', 'cloudtrail', 'config', 'ec2', 'ecr', 'ecs', 'eks', 'elasticache', 'elb', 'kms', 'lambda', 'rds', 's3'];
  const coverage = [];
  for (const a of accounts) {
    for (const service of ['budgets', 'iam']) coverage.push({ account: a.id, region: 'global', service, status: 'collected' });
    for (const region of regionsOf(a)) for (const service of services) coverage.push({ account: a.id, region, service, status: 'collected' });
  }
  coverage.sort((x, y) => (x.account < y.account ? -1 : x.account > y.account ? 1 : x.region < y.region ? -1 : x.region > y.region ? 1 : x.service < y.service ? -1 : 1));
  await write(`${JSON.stringify(coverage)}}\n`);
  out.end();
  await once(out, 'finish');
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Runs a node child that reports its own wall time and peak RSS on the last stderr line. */
function measure(args) {
  const t0 = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: root.pathname, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = /maxrss-kb (\d+)/.exec(run.stderr ?? '')?.[1];
  if (rss === undefined) throw new Error(`bench child failed (${run.status}): ${run.stderr}`);
  return { seconds, rssMb: Math.round(Number(rss) / 1024), status: run.status };
}

const want = 'bench-v6';
const marker = new URL('estate.version', dir);
if (!existsSync(estateFile) || !existsSync(marker) || readFileSync(marker, 'utf8') !== want) {
  process.stdout.write('generating the synthetic estate …\n');
  await generate();
  writeFileSync(marker, want);
}
const policy = readFileSync(new URL('examples/set/rules.yaml', root), 'utf8')
  .replace('      names: [set-nonprod]', '      ouPaths: [/Workloads/NonProd]')
  .replace('accountNamePattern: set-nonprod', 'accountNamePattern: set-nonprod-*')
  .replace(/\nwaivers:[\s\S]*$/, '\n');
writeFileSync(policyFile, `${policy}\ncatalogue: all\n`);
const parseChild = new URL('bench-parse-child.mjs', import.meta.url).pathname;
const scanChild = new URL('bench-scan-child.mjs', import.meta.url).pathname;
process.stdout.write('building the CLI (tsc -b) …\n');
execFileSync('pnpm', ['run', '--silent', 'build'], { cwd: root.pathname, stdio: 'inherit' });

// 1. live
const tsx = ['--import', 'tsx', '--conditions=orglint-source'];
const hasMoto = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' }).status === 0;
if (hasMoto && process.env.BENCH_SKIP_LIVE !== '1') {
  process.stdout.write('live section (moto) …\n');
  const live = spawnSync(process.execPath, [...tsx, 'scripts/bench-live.ts'], { cwd: root.pathname, encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  process.stdout.write(live.stdout.split('\n').filter((l) => l.startsWith('live')).map((l) => `${l}\n`).join(''));
  if (live.status !== 0) process.stdout.write(`live section failed: ${live.stderr.trim().split('\n').pop()}\n`);
} else {
  process.stdout.write(`live section skipped: ${hasMoto ? 'BENCH_SKIP_LIVE=1' : 'moto_server is not on the PATH'}\n`);
}

// 2. plan
const planFile = new URL('plan.json', dir).pathname;
const planMarker = new URL('plan.version', dir);
if (!existsSync(planFile) || !existsSync(planMarker) || readFileSync(planMarker, 'utf8') !== 'plan-v1') {
  process.stdout.write('generating the synthetic plan …\n');
  execFileSync(process.execPath, [...tsx, '-e', `import('./scripts/plan-generator.ts').then((m) => m.generatePlan(100 * 1024 * 1024, ${JSON.stringify(planFile)}))`], { cwd: root.pathname, stdio: 'inherit' });
  writeFileSync(planMarker, 'plan-v1');
}
const planParses = [];
const planScans = [];
for (let i = 0; i < RUNS; i++) {
  planParses.push(measure([parseChild, planFile, 'resource_changes']));
  planScans.push(measure([scanChild, 'scan', '--plan', planFile, '--environment', 'production', '--policy', policyFile, '--timestamp', '2026-11-23T00:00:00Z', '--format', 'text', '--output', new URL('plan-scan.txt', dir).pathname]));
}
for (const s of planScans) if (s.status !== 0 && s.status !== 1 && s.status !== 3) throw new Error(`plan scan exited ${s.status}`);
const planParse = median(planParses.map((p) => p.seconds));
const planScan = median(planScans.map((s) => s.seconds));
process.stdout.write(
  `plan: size-mb ${(statSync(planFile).size / 1e6).toFixed(1)}  parse ${planParse.toFixed(2)}s  scan --plan ${planScan.toFixed(2)}s  ratio plan/parse: ${(planScan / planParse).toFixed(2)}  peak-rss-mb ${Math.max(...planScans.map((s) => s.rssMb))}\n`,
);

// 3. estate
const sizeMb = statSync(estateFile).size / 1e6;
const parses = [];
const scans = [];
for (let i = 0; i < RUNS; i++) {
  parses.push(measure([parseChild, estateFile]));
  scans.push(measure([scanChild, 'scan', '--estate', estateFile, '--policy', policyFile, '--timestamp', '2026-11-23T00:00:00Z', '--format', 'text', '--output', new URL('scan.txt', dir).pathname]));
}
for (const s of scans) if (s.status !== 0 && s.status !== 1 && s.status !== 3) throw new Error(`scan exited ${s.status}`);
const parse = median(parses.map((p) => p.seconds));
const scanTime = median(scans.map((s) => s.seconds));
const rss = Math.max(...scans.map((s) => s.rssMb));
process.stdout.write(`estate: ${sizeMb.toFixed(1)} MB, 1000 accounts, 200000 resources; median of ${RUNS} fresh processes\n`);
process.stdout.write(`parse: ${parse.toFixed(2)}s (peak-rss-mb ${Math.max(...parses.map((p) => p.rssMb))})  scan: ${scanTime.toFixed(2)}s\n`);
process.stdout.write(`ratio scan/parse: ${(scanTime / parse).toFixed(2)}  peak-rss-mb: ${rss}\n`);
