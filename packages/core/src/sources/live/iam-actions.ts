/**
 * SDK operations whose IAM action has another name. Every other operation `svc:Op` is
 * authorised by the action `svc:Op` (see the Service Authorization Reference).
 */
const ACTION_OF_OPERATION: Readonly<Record<string, string>> = {
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:GetBucketReplication': 's3:GetReplicationConfiguration',
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  's3:GetBucketLifecycleConfiguration': 's3:GetLifecycleConfiguration',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  'budgets:DescribeBudgets': 'budgets:ViewBudget',
  'budgets:DescribeNotificationsForBudget': 'budgets:ViewBudget',
};

/** The IAM action that authorises an SDK operation named `service:Operation`. */
export function iamActionFor(operation: string): string {
  return ACTION_OF_OPERATION[operation] ?? operation;
}

/** `ListAccountsCommand` → `ListAccounts`. */
export function operationName(commandName: string): string {
  return commandName.endsWith('Command') ? commandName.slice(0, -'Command'.length) : commandName;
}
