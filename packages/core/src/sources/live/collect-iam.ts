import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  GetOpenIDConnectProviderCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  paginateGetAccountAuthorizationDetails,
  paginateListAccessKeys,
  paginateListMFADevices,
  paginateListVirtualMFADevices,
  type GroupDetail,
  type RoleDetail,
  type UserDetail,
  type VirtualMFADevice,
} from '@aws-sdk/client-iam';
import type { Resource } from '../../estate/types.js';
import { isErrorCode } from './aws-errors.js';
import { allPages, type CollectContext, cmp, iso, liveResource, mapLimit, parsePolicyDocument, tagRecord } from './context.js';
import { type CredentialReportRow, parseCredentialReport, ROOT_ROW } from './credential-report.js';
import { CALLS_PER_TASK } from './runtime.js';

/** How long the collector waits for IAM to finish a credential report. */
const REPORT_BUDGET_MS = 120_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Generates (or reuses, when AWS has a fresh one) and reads the credential report. */
async function credentialReport(iam: IAMClient): Promise<CredentialReportRow[]> {
  let waited = 0;
  let delay = 200;
  for (;;) {
    const generated = await iam.send(new GenerateCredentialReportCommand({}));
    if (generated.State === 'COMPLETE') {
      try {
        const report = await iam.send(new GetCredentialReportCommand({}));
        return parseCredentialReport(new TextDecoder().decode(report.Content ?? new Uint8Array()));
      } catch (error) {
        // Expired between the two calls, or still being written: generate again.
        if (!isErrorCode(error, 'ReportInProgress', 'ReportNotPresent', 'ReportExpired', 'CredentialReportNotReadyException', 'CredentialReportNotPresentException', 'CredentialReportExpiredException')) throw error;
      }
    }
    if (waited >= REPORT_BUDGET_MS) {
      throw Object.assign(new Error(`the credential report was not complete after ${REPORT_BUDGET_MS / 1000} s`), { name: 'ReportInProgress' });
    }
    await sleep(delay);
    waited += delay;
    delay = Math.min(delay * 2, 2_000);
  }
}

const sortStrings = (values: Iterable<string | undefined>): string[] => [...new Set([...values].filter((v): v is string => !!v))].sort(cmp);

/**
 * IAM of one account, bulk only: credential report, GetAccountAuthorizationDetails (paged by
 * 1000), account summary, virtual MFA devices, OIDC providers, password policy. The number of
 * calls does not grow with users or roles, except for users created after the report AWS
 * still serves (it reuses a report for four hours): those few are read one by one.
 */
export async function collectIam(ctx: CollectContext): Promise<Resource[]> {
  const iam = ctx.client(IAMClient, 'iam');
  const { account, partition } = ctx;
  const problem = (error: unknown, what: string): void => ctx.problem('iam', 'global', error, what);

  const report = await credentialReport(iam);
  const details = await allPages(paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 1000 }, { Filter: ['User', 'Role', 'Group'] }));
  const users: UserDetail[] = details.flatMap((p) => p.UserDetailList ?? []);
  const roles: RoleDetail[] = details.flatMap((p) => p.RoleDetailList ?? []);
  const groups: GroupDetail[] = details.flatMap((p) => p.GroupDetailList ?? []);

  let summary: Record<string, number> | undefined;
  try {
    summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap;
  } catch (error) {
    problem(error, 'account summary');
  }

  let virtualDevices: VirtualMFADevice[] | undefined;
  try {
    virtualDevices = (await allPages(paginateListVirtualMFADevices({ client: iam }, { AssignmentStatus: 'Assigned' }))).flatMap((p) => p.VirtualMFADevices ?? []);
  } catch (error) {
    problem(error, 'virtual MFA devices');
  }

  const resources: Resource[] = [];
  const rootArn = `arn:${partition}:iam::${account}:root`;
  const rowByArn = new Map(report.map((r) => [r.arn, r]));
  const rootRow = report.find((r) => r.user === ROOT_ROW);

  // Root user: the report's root row where AWS gives one, the account summary otherwise.
  const rootMfa = rootRow?.mfaActive ?? (summary ? summary.AccountMFAEnabled === 1 : undefined);
  if (rootMfa === undefined) {
    problem(new Error('neither the credential report nor the account summary says whether the root user has MFA'), 'root user');
  } else {
    const rootVirtual = virtualDevices?.some((d) => d.User?.Arn === rootArn || /:mfa\/root-account-mfa-device$/.test(d.SerialNumber ?? ''));
    const rootKeys = rootRow ? rootRow.accessKeys.filter((k) => k.active).length : summary ? (summary.AccountAccessKeysPresent ?? 0) : undefined;
    resources.push(
      liveResource({
        type: 'aws.iam.root',
        id: rootArn,
        arn: rootArn,
        account,
        region: 'global',
        name: 'root',
        properties: {
          mfaEnabled: rootMfa,
          // Unknown (the virtual MFA list could not be read) is omitted, as the schema asks.
          hardwareMfa: !rootMfa ? false : rootVirtual === undefined ? undefined : !rootVirtual,
          accessKeys: rootKeys,
          passwordLastUsed: rootRow ? rootRow.passwordLastUsed : undefined,
        },
      }),
    );
  }

  const virtualByUser = new Map<string, VirtualMFADevice[]>();
  for (const d of virtualDevices ?? []) {
    const arn = d.User?.Arn;
    if (!arn || arn === rootArn) continue;
    virtualByUser.set(arn, [...(virtualByUser.get(arn) ?? []), d]);
  }

  const groupMembers = new Map<string, string[]>();
  for (const u of users) for (const g of u.GroupList ?? []) groupMembers.set(g, [...(groupMembers.get(g) ?? []), u.UserName ?? '']);

  // Users the report does not know yet are read one by one: a handful at most.
  const missing = users.filter((u) => u.Arn && !rowByArn.has(u.Arn));
  const fallback = new Map<string, Record<string, unknown>>();
  await mapLimit(missing, CALLS_PER_TASK, async (u) => {
    try {
      fallback.set(u.Arn ?? '', await userOneByOne(iam, u.UserName ?? ''));
    } catch (error) {
      problem(error, `user ${u.UserName ?? ''}`);
    }
  });

  for (const u of users) {
    if (!u.Arn) continue;
    const row = rowByArn.get(u.Arn);
    const facts = row ? userFromReport(row, virtualByUser.get(u.Arn) ?? [], virtualDevices !== undefined) : fallback.get(u.Arn);
    if (!facts) continue;
    resources.push(
      liveResource({
        type: 'aws.iam.user',
        id: u.Arn,
        arn: u.Arn,
        account,
        region: 'global',
        name: u.UserName,
        tags: tagRecord(u.Tags),
        properties: {
          ...facts,
          groups: sortStrings(u.GroupList ?? []),
          attachedPolicies: sortStrings((u.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn)),
          inlinePolicies: sortStrings((u.UserPolicyList ?? []).map((p) => p.PolicyName)),
          createdAt: iso(u.CreateDate),
          path: u.Path,
          permissionsBoundary: u.PermissionsBoundary?.PermissionsBoundaryArn,
        },
      }),
    );
  }

  for (const g of groups) {
    if (!g.Arn) continue;
    resources.push(
      liveResource({
        type: 'aws.iam.group',
        id: g.Arn,
        arn: g.Arn,
        account,
        region: 'global',
        name: g.GroupName,
        properties: {
          attachedPolicies: sortStrings((g.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn)),
          inlinePolicies: sortStrings((g.GroupPolicyList ?? []).map((p) => p.PolicyName)),
          members: sortStrings(groupMembers.get(g.GroupName ?? '') ?? []),
          path: g.Path,
        },
      }),
    );
  }

  for (const r of roles) {
    if (!r.Arn) continue;
    resources.push(
      liveResource({
        type: 'aws.iam.role',
        id: r.Arn,
        arn: r.Arn,
        account,
        region: 'global',
        name: r.RoleName,
        tags: tagRecord(r.Tags),
        properties: {
          trustPolicy: parsePolicyDocument(r.AssumeRolePolicyDocument),
          attachedPolicies: sortStrings((r.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn)),
          inlinePolicies: sortStrings((r.RolePolicyList ?? []).map((p) => p.PolicyName)),
          path: r.Path,
          serviceLinked: (r.Path ?? '').startsWith('/aws-service-role/'),
          createdAt: iso(r.CreateDate),
          lastUsedAt: iso(r.RoleLastUsed?.LastUsedDate) ?? null,
          permissionsBoundary: r.PermissionsBoundary?.PermissionsBoundaryArn,
        },
      }),
    );
  }

  try {
    resources.push(...(await oidcProviders(iam, ctx)));
  } catch (error) {
    problem(error, 'OpenID Connect providers');
  }

  try {
    const policy = (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy;
    if (policy) {
      resources.push(
        liveResource({
          type: 'aws.iam.password-policy',
          id: `arn:${partition}:iam::${account}:account-password-policy`,
          account,
          region: 'global',
          properties: {
            minimumLength: policy.MinimumPasswordLength,
            requireSymbols: policy.RequireSymbols,
            requireNumbers: policy.RequireNumbers,
            requireUppercase: policy.RequireUppercaseCharacters,
            requireLowercase: policy.RequireLowercaseCharacters,
            allowUsersToChangePassword: policy.AllowUsersToChangePassword,
            expirePasswords: policy.ExpirePasswords,
            maxAgeDays: policy.MaxPasswordAge ?? null,
            reusePrevention: policy.PasswordReusePrevention ?? null,
            hardExpiry: policy.HardExpiry ?? false,
          },
        }),
      );
    }
  } catch (error) {
    // NoSuchEntity: the account has no password policy, which rules judge by its absence.
    if (!isErrorCode(error, 'NoSuchEntity', 'NoSuchEntityException')) problem(error, 'password policy');
  }

  return resources;
}

/** A user's password, MFA and key facts from its credential-report row and the virtual MFA list. */
function userFromReport(row: CredentialReportRow, virtual: readonly VirtualMFADevice[], virtualKnown: boolean): Record<string, unknown> {
  const mfaDevices: { serial: string; kind: string; enabledAt?: string }[] = virtual.map((d) => ({
    serial: d.SerialNumber ?? '',
    kind: 'virtual',
    ...(d.EnableDate ? { enabledAt: iso(d.EnableDate) as string } : {}),
  }));
  // MFA is active but no virtual device belongs to the user: a hardware (or FIDO) device, whose
  // serial only a per-user ListMFADevices would tell.
  if (row.mfaActive && mfaDevices.length === 0) mfaDevices.push({ serial: 'unknown', kind: virtualKnown ? 'hardware' : 'unknown' });
  mfaDevices.sort((a, b) => cmp(a.serial, b.serial));
  return {
    consolePassword: row.passwordEnabled === true,
    passwordLastUsed: row.passwordLastUsed,
    mfaDevices,
    // The report has no key ids, only its two key slots.
    accessKeys: row.accessKeys.map((k) => ({
      id: `access_key_${k.slot}`,
      status: k.active ? 'Active' : 'Inactive',
      createdAt: k.lastRotated,
      lastUsedAt: k.lastUsed,
    })),
  };
}

/** The same facts for one user that the report does not contain yet. */
async function userOneByOne(iam: IAMClient, userName: string): Promise<Record<string, unknown>> {
  let consolePassword = true;
  try {
    await iam.send(new GetLoginProfileCommand({ UserName: userName }));
  } catch (error) {
    if (!isErrorCode(error, 'NoSuchEntity', 'NoSuchEntityException')) throw error;
    consolePassword = false;
  }
  const devices = (await allPages(paginateListMFADevices({ client: iam }, { UserName: userName }))).flatMap((p) => p.MFADevices ?? []);
  const keys = (await allPages(paginateListAccessKeys({ client: iam }, { UserName: userName }))).flatMap((p) => p.AccessKeyMetadata ?? []);
  const accessKeys = [];
  for (const k of keys) {
    const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: k.AccessKeyId }));
    accessKeys.push({
      id: k.AccessKeyId ?? '',
      status: k.Status === 'Active' ? 'Active' : 'Inactive',
      createdAt: iso(k.CreateDate) ?? null,
      lastUsedAt: iso(used.AccessKeyLastUsed?.LastUsedDate) ?? null,
    });
  }
  return {
    consolePassword,
    passwordLastUsed: null,
    mfaDevices: devices
      .map((d) => ({
        serial: d.SerialNumber ?? '',
        kind: /:mfa\//.test(d.SerialNumber ?? '') ? 'virtual' : /:u2f\//.test(d.SerialNumber ?? '') ? 'u2f' : 'hardware',
        ...(d.EnableDate ? { enabledAt: iso(d.EnableDate) as string } : {}),
      }))
      .sort((a, b) => cmp(a.serial, b.serial)),
    accessKeys: accessKeys.sort((a, b) => cmp(a.id, b.id)),
  };
}

async function oidcProviders(iam: IAMClient, ctx: CollectContext): Promise<Resource[]> {
  const list = (await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? [];
  const arns = sortStrings(list.map((p) => p.Arn));
  return mapLimit(arns, CALLS_PER_TASK, async (arn) => {
    const p = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    const url = p.Url ?? arn.replace(/^arn:[^:]+:iam::\d+:oidc-provider\//, '');
    return liveResource({
      type: 'aws.iam.oidc-provider',
      id: arn,
      arn,
      account: ctx.account,
      region: 'global',
      name: url,
      tags: tagRecord(p.Tags),
      properties: { url: url.startsWith('https://') ? url : `https://${url}`, clientIds: sortStrings(p.ClientIDList ?? []) },
    });
  });
}
