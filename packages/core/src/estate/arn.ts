/** The parts of an ARN: `arn:partition:service:region:account:resource`. */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(value: string): ParsedArn | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const parts = value.split(':');
  if (parts.length < 6) return undefined;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

const ACCOUNT_ID = /^[0-9]{12}$/;

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** The account an IAM principal string names: an account id, `arn:…:iam::ID:…`, or `arn:…:sts::ID:…`. */
export function accountOfPrincipal(principal: string): string | undefined {
  if (isAccountId(principal)) return principal;
  const arn = parseArn(principal);
  if (arn && isAccountId(arn.account)) return arn.account;
  return undefined;
}
