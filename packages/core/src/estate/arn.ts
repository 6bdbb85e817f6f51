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
  // Index arithmetic rather than split: this runs for every encrypted resource of an estate.
  const a = value.indexOf(':', 4);
  const b = a === -1 ? -1 : value.indexOf(':', a + 1);
  const c = b === -1 ? -1 : value.indexOf(':', b + 1);
  const d = c === -1 ? -1 : value.indexOf(':', c + 1);
  if (d === -1) return undefined;
  return { partition: value.slice(4, a), service: value.slice(a + 1, b), region: value.slice(b + 1, c), account: value.slice(c + 1, d), resource: value.slice(d + 1) };
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
