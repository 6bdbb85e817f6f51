import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListPolicies,
  paginateListRoots,
  paginateListTargetsForPolicy,
  paginateListTagsForResource,
  type Account as OrgAccount,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { OrglintError } from '../../errors.js';
import { parseArn } from '../../estate/arn.js';
import type { Account, OrganizationalUnit, OrganizationPolicy } from '../../estate/types.js';
import { classifyError, errorCode, isCredentialsError, isErrorCode } from './aws-errors.js';
import { cmp, mapLimit, parsePolicyDocument, tagRecord } from './context.js';
import type { LiveRuntime } from './runtime.js';
import { CALLS_PER_TASK } from './runtime.js';

const POLICY_FILE = 'packages/core/iam/orglint-readonly-policy.json';

/** The organisation as seen from the management account (or a delegated administrator). */
export interface Discovery {
  readonly organizationId: string;
  readonly managementAccountId: string;
  readonly rootId: string;
  readonly organizationalUnits: OrganizationalUnit[];
  readonly policies: OrganizationPolicy[];
  readonly accounts: Account[];
  /** Organizations-level problems per account (tags), or for every account (SCPs, OU tags). */
  readonly problems: { account: string | '*'; error: unknown; context: string }[];
}

/** Who the caller is; fails with a sentence a person can act on when credentials do not work. */
export async function identifyCaller(runtime: LiveRuntime): Promise<{ account: string; arn: string; partition: string }> {
  const sts = runtime.callerClient(STSClient, 'sts', runtime.homeRegion);
  try {
    const id = await sts.send(new GetCallerIdentityCommand({}));
    const arn = id.Arn ?? '';
    return { account: id.Account ?? '', arn, partition: parseArn(arn)?.partition || 'aws' };
  } catch (error) {
    const profile = runtime.options.profile;
    if (profile !== undefined && isErrorCode(error, 'CredentialsProviderError') && !(await profileDefined(profile))) {
      throw new OrglintError(
        'aws-credentials',
        `The AWS profile "${profile}" is not defined in the AWS config or credentials file (~/.aws/config, ~/.aws/credentials, or the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name); define it there or pass another one with --profile.`,
        { cause: error },
      );
    }
    throw credentialsError(error, profile);
  }
}

/** Whether a profile exists in the shared config or credentials file (read the way the SDK reads them). */
async function profileDefined(profile: string): Promise<boolean> {
  try {
    const { configFile, credentialsFile } = await loadSharedConfigFiles();
    return Object.hasOwn(configFile, profile) || Object.hasOwn(credentialsFile, profile);
  } catch {
    return false;
  }
}

/** Turns a failure to authenticate into the `aws-credentials` sentence. */
export function credentialsError(error: unknown, profile: string | undefined): OrglintError {
  const code = errorCode(error) ?? 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const profileText = profile === undefined ? '' : ` of the AWS profile "${profile}"`;
  if (code === 'CredentialsProviderError' || code === 'TokenProviderError') {
    if (profile !== undefined) {
      return new OrglintError(
        'aws-credentials',
        `The AWS profile "${profile}" gave no credentials (${oneLine(message)}); sign in again (for example \`aws sso login --profile ${profile}\`) or fix the profile's settings, or pass another one with --profile.`,
        { cause: error },
      );
    }
    return new OrglintError(
      'aws-credentials',
      `No AWS credentials were found${profileText}: set AWS_PROFILE or pass --profile naming a profile of the organization's management account, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`,
      { cause: error },
    );
  }
  if (code === 'ExpiredToken' || code === 'ExpiredTokenException' || code === 'RequestExpired') {
    return new OrglintError(
      'aws-credentials',
      `The AWS session token${profileText} has expired (${code}); sign in again (for example \`aws sso login${profile === undefined ? '' : ` --profile ${profile}`}\`) or refresh the credentials, then run orglint again.`,
      { cause: error },
    );
  }
  if (isCredentialsError(error)) {
    return new OrglintError(
      'aws-credentials',
      `AWS rejected the credentials${profileText} (${code}): the access key is unknown or its secret does not match; check the profile or the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables.`,
      { cause: error },
    );
  }
  return new OrglintError(
    'aws-credentials',
    `The caller's identity could not be checked with sts:GetCallerIdentity (${classifyError(error).reason}); check the network, the endpoint and the credentials${profileText}.`,
    { cause: error },
  );
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
}

/** `aws-organizations` error for an Organizations call the caller may not make. */
function organizationsDenied(error: unknown, callerArn: string, action: string): OrglintError {
  if (isCredentialsError(error)) return credentialsError(error, undefined);
  const verdict = classifyError(error);
  if (verdict.status === 'denied') {
    return new OrglintError(
      'aws-organizations',
      `The caller ${callerArn} may not call ${action} (${verdict.code}); attach the read-only policy in ${POLICY_FILE} to it and run orglint from the organization's management account or a delegated administrator for AWS Organizations.`,
      { cause: error },
    );
  }
  return new OrglintError(
    'aws-organizations',
    `The organization could not be read: ${action} failed (${verdict.reason}); check the network and the endpoint, then run orglint again.`,
    { cause: error },
  );
}

async function collectAll<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/**
 * Reads the organisation: roots, OUs as paths, accounts with their OU path and tags, SCPs with
 * their targets. Calls grow with OUs, accounts and policies, never with resources.
 */
export async function discoverOrganization(runtime: LiveRuntime, caller: { account: string; arn: string }): Promise<Discovery> {
  const org = runtime.client(OrganizationsClient, 'organizations', caller.account, runtime.homeRegion);
  const problems: Discovery['problems'] = [];

  let organizationId: string;
  let managementAccountId: string;
  try {
    const described = await org.send(new DescribeOrganizationCommand({}));
    organizationId = described.Organization?.Id ?? '';
    managementAccountId = described.Organization?.MasterAccountId ?? '';
  } catch (error) {
    if (isErrorCode(error, 'AWSOrganizationsNotInUseException')) {
      throw new OrglintError(
        'aws-organizations',
        `Account ${caller.account} is not a member of an AWS Organization; run orglint with credentials of the organization's management account (or of a delegated administrator for AWS Organizations).`,
        { cause: error },
      );
    }
    throw organizationsDenied(error, caller.arn, 'organizations:DescribeOrganization');
  }

  let orgAccounts: OrgAccount[];
  try {
    orgAccounts = (await collectAll(paginateListAccounts({ client: org }, {}))).flatMap((p) => p.Accounts ?? []);
  } catch (error) {
    if (caller.account !== managementAccountId && classifyError(error).status === 'denied') throw notManagement(caller.account, organizationId, managementAccountId, error);
    throw organizationsDenied(error, caller.arn, 'organizations:ListAccounts');
  }
  // Every organisation lists at least its management account; an empty list means the caller
  // is a plain member (some emulators answer members with [] instead of AccessDenied).
  if (!orgAccounts.some((a) => a.Id === managementAccountId)) throw notManagement(caller.account, organizationId, managementAccountId);

  let rootId: string;
  try {
    const roots = (await collectAll(paginateListRoots({ client: org }, {}))).flatMap((p) => p.Roots ?? []);
    rootId = roots[0]?.Id ?? '';
  } catch (error) {
    throw organizationsDenied(error, caller.arn, 'organizations:ListRoots');
  }

  // Walk the OU tree breadth-first, filing every account under its parent's path.
  const ous: OrganizationalUnit[] = [];
  const pathOfParent = new Map<string, string>([[rootId, '/']]);
  const accountPath = new Map<string, string>();
  let level: { id: string; path: string }[] = [{ id: rootId, path: '/' }];
  while (level.length > 0) {
    const next: { id: string; path: string }[] = [];
    await mapLimit(level, CALLS_PER_TASK, async (parent) => {
      let children;
      let accounts;
      try {
        children = (await collectAll(paginateListOrganizationalUnitsForParent({ client: org }, { ParentId: parent.id }))).flatMap((p) => p.OrganizationalUnits ?? []);
      } catch (error) {
        throw organizationsDenied(error, caller.arn, 'organizations:ListOrganizationalUnitsForParent');
      }
      try {
        accounts = (await collectAll(paginateListAccountsForParent({ client: org }, { ParentId: parent.id }))).flatMap((p) => p.Accounts ?? []);
      } catch (error) {
        throw organizationsDenied(error, caller.arn, 'organizations:ListAccountsForParent');
      }
      for (const a of accounts) if (a.Id) accountPath.set(a.Id, parent.path);
      for (const ou of children) {
        if (!ou.Id) continue;
        const path = `${parent.path === '/' ? '' : parent.path}/${ou.Name ?? ou.Id}`;
        pathOfParent.set(ou.Id, path);
        next.push({ id: ou.Id, path });
        ous.push({ id: ou.Id, ...(ou.Name ? { name: ou.Name } : {}), path });
      }
    });
    level = next.sort((a, b) => cmp(a.path, b.path));
  }

  // OU tags: one call per OU; a failure spoils the organisation's view for every account.
  const ouTags = new Map<string, Record<string, string>>();
  await mapLimit(ous, CALLS_PER_TASK, async (ou) => {
    try {
      ouTags.set(ou.id, await tagsOf(org, ou.id));
    } catch (error) {
      problems.push({ account: '*', error, context: `tags of OU ${ou.path}` });
    }
  });

  const accountTags = new Map<string, Record<string, string>>();
  await mapLimit(orgAccounts, CALLS_PER_TASK, async (a) => {
    if (!a.Id) return;
    try {
      accountTags.set(a.Id, await tagsOf(org, a.Id));
    } catch (error) {
      problems.push({ account: a.Id, error, context: `tags of account ${a.Id}` });
    }
  });

  const policies = await servicePolicies(org, pathOfParent, problems);

  const accounts: Account[] = [];
  for (const a of orgAccounts) {
    if (!a.Id) continue;
    const ouPath = accountPath.get(a.Id) ?? '/';
    const tags = accountTags.get(a.Id);
    const status = a.State ?? a.Status;
    accounts.push({
      id: a.Id,
      name: a.Name ?? a.Id,
      ...(a.Email ? { email: a.Email } : {}),
      ouPath,
      ...(status ? { status } : {}),
      ...(tags && Object.keys(tags).length > 0 ? { tags } : {}),
    });
  }
  accounts.sort((x, y) => cmp(x.id, y.id));

  const organizationalUnits = ous
    .map((ou) => {
      const tags = ouTags.get(ou.id);
      return tags && Object.keys(tags).length > 0 ? { ...ou, tags } : ou;
    })
    .sort((x, y) => cmp(x.path, y.path));

  return { organizationId, managementAccountId, rootId, organizationalUnits, policies, accounts, problems };
}

function notManagement(callerAccount: string, organizationId: string, managementAccountId: string, cause?: unknown): OrglintError {
  return new OrglintError(
    'aws-organizations',
    `Account ${callerAccount} is a member of organization ${organizationId} but may not list its accounts; run orglint with credentials of the management account ${managementAccountId}, or register ${callerAccount} as a delegated administrator for AWS Organizations.`,
    cause === undefined ? {} : { cause },
  );
}

async function tagsOf(org: OrganizationsClient, resourceId: string): Promise<Record<string, string>> {
  const pages = await collectAll(paginateListTagsForResource({ client: org }, { ResourceId: resourceId }));
  return tagRecord(pages.flatMap((p) => p.Tags ?? []));
}

/** SCPs with their content and targets ('/' for the root, an OU path, or an account id). */
async function servicePolicies(
  org: OrganizationsClient,
  pathOfParent: ReadonlyMap<string, string>,
  problems: Discovery['problems'],
): Promise<OrganizationPolicy[]> {
  let summaries;
  try {
    summaries = (await collectAll(paginateListPolicies({ client: org }, { Filter: 'SERVICE_CONTROL_POLICY' }))).flatMap((p) => p.Policies ?? []);
  } catch (error) {
    problems.push({ account: '*', error, context: 'service control policies' });
    return [];
  }
  const policies = await mapLimit(summaries, CALLS_PER_TASK, async (summary): Promise<OrganizationPolicy | undefined> => {
    if (!summary.Id) return undefined;
    try {
      const described = await org.send(new DescribePolicyCommand({ PolicyId: summary.Id }));
      const targets = (await collectAll(paginateListTargetsForPolicy({ client: org }, { PolicyId: summary.Id })))
        .flatMap((p) => p.Targets ?? [])
        .map((t) => (t.Type === 'ROOT' ? '/' : t.Type === 'ORGANIZATIONAL_UNIT' ? (pathOfParent.get(t.TargetId ?? '') ?? t.TargetId ?? '') : (t.TargetId ?? '')))
        .filter((t) => t !== '')
        .sort(cmp);
      const raw = described.Policy?.Content;
      return {
        id: summary.Id,
        name: summary.Name ?? summary.Id,
        ...(summary.Arn ? { arn: summary.Arn } : {}),
        type: 'SERVICE_CONTROL_POLICY',
        awsManaged: summary.AwsManaged ?? false,
        ...(raw === undefined ? {} : { content: parsePolicyDocument(raw) ?? raw }),
        targets: [...new Set(targets)],
      };
    } catch (error) {
      problems.push({ account: '*', error, context: `service control policy ${summary.Id}` });
      return undefined;
    }
  });
  return policies.filter((p): p is OrganizationPolicy => p !== undefined).sort((a, b) => cmp(a.id, b.id));
}

