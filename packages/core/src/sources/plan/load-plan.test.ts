import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OrglintError } from '../../errors.js';
import { isSupportedPlanFormat, loadPlan } from './load-plan.js';

const FIXTURES = fileURLToPath(new URL('../../../test-fixtures/terraform-plan/', import.meta.url));
const HOW = 'run `terraform plan -out plan.out` and `terraform show -json plan.out > plan.json`, and pass plan.json';

function write(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'orglint-plan-'));
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

function failure(file: string): OrglintError {
  try {
    loadPlan(file);
  } catch (error) {
    if (error instanceof OrglintError) return error;
    throw error;
  }
  throw new Error(`${file} loaded`);
}

describe('loadPlan', () => {
  it.each([
    ['infracost__terraform_v0.14_plan.json', '0.1'],
    ['regula__cloudtrail_log_file_validation.tfplan.json', '0.1'],
    ['regula__iam_user_attached_policy.tfplan.json', '0.1'],
    ['snyk-policy-engine__db_instance_sensitive.plan.json', '1.1'],
    ['terraform-compliance__kms_key_with_policy.plan.out.json', '0.1'],
    ['terraform-compliance__rds_cluster_backup_retention.plan.out.json', '0.1'],
    ['all-types.plan.json', '1.2'],
    ['changes.plan.json', '1.2'],
    ['extra-types.plan.json', '0.2'],
  ])('reads %s (format %s)', (name, version) => {
    const plan = loadPlan(join(FIXTURES, name));
    expect(plan.format_version).toBe(version);
    expect(plan.resource_changes?.length).toBeGreaterThan(0);
  });

  it('names a state file from terraform show -json', () => {
    const file = write('state.json', JSON.stringify({ format_version: '1.0', terraform_version: '1.5.0', values: { root_module: { resources: [] } } }));
    const error = failure(file);
    expect(error.code).toBe('not-a-plan');
    expect(error.message).toBe(`${file} is a Terraform state in JSON (\`terraform show -json\` without a plan file), not a plan; ${HOW}.`);
  });

  it('names a raw terraform.tfstate', () => {
    const file = write('terraform.tfstate', JSON.stringify({ version: 4, terraform_version: '1.5.0', serial: 3, lineage: 'x', outputs: {}, resources: [] }));
    expect(failure(file).message).toBe(`${file} is a raw Terraform state file (terraform.tfstate), not a plan; ${HOW}.`);
  });

  it('names an HCL file', () => {
    const file = write('main.tf', '# network\nresource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n');
    expect(failure(file).message).toBe(`${file} is Terraform configuration (HCL), not a plan; ${HOW}.`);
  });

  it('names truncated JSON with the line where it stops', () => {
    const text = JSON.stringify(JSON.parse(JSON.stringify({ format_version: '1.2', resource_changes: [{ address: 'a.b' }] })), null, 2);
    const file = write('plan.json', text.slice(0, text.length - 20));
    const error = failure(file);
    expect(error.code).toBe('not-a-plan');
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: the plan JSON ends before the document does \\(the file is truncated\\); `));
    expect(error.message).toContain(`${HOW} again and make sure it is written completely.`);
  });

  it('names a binary plan.out and says how to convert it', () => {
    const file = write('plan.out', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64, 1)]));
    expect(failure(file).message).toBe(`${file} is a binary plan file (the output of \`terraform plan -out\`), not JSON; run \`terraform show -json ${file} > plan.json\` and pass plan.json.`);
  });

  it('rejects an unsupported format_version', () => {
    const file = write('plan.json', JSON.stringify({ format_version: '2.0', resource_changes: [] }));
    expect(failure(file).message).toBe(
      `${file} has plan format_version "2.0", which this orglint does not read (it reads 0.1 to 1.x); produce the plan with Terraform 0.12 to 1.x, or upgrade orglint.`,
    );
  });

  it('names an orglint estate passed as a plan', () => {
    const file = write('estate.json', JSON.stringify({ schemaVersion: 1, organization: {}, accounts: [], resources: [], coverage: [] }));
    expect(failure(file).message).toBe(`${file} is an orglint estate, not a terraform plan; pass it with --estate, and the plan with --plan.`);
  });

  it('names other JSON', () => {
    const file = write('other.json', JSON.stringify({ hello: 'world' }));
    expect(failure(file).message).toBe(`${file} is JSON but not a terraform plan (it has no format_version and resource_changes); ${HOW}.`);
    const array = write('array.json', '[1, 2]');
    expect(failure(array).message).toBe(`${array} is a JSON array, not a terraform plan object; ${HOW}.`);
  });

  it('reports broken JSON with its line', () => {
    const file = write('broken.json', '{\n  "format_version": "1.2",\n  "resource_changes": [,]\n}\n');
    const error = failure(file);
    expect(error.message).toMatch(/:3: the file is not valid JSON \(.+\), so it is not `terraform show -json` output; /);
  });

  it('knows which format versions it reads', () => {
    expect(['0.1', '0.2', '1.0', '1.2', '1.10'].every(isSupportedPlanFormat)).toBe(true);
    expect(['0.0', '2.0', '1', 'x'].some(isSupportedPlanFormat)).toBe(false);
  });
});
