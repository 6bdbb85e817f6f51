import type { CoverageStatus } from '../../estate/types.js';

/** The fields of an SDK error this module reads; everything else (request, credentials) is ignored. */
interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  /** Set by the collector's middleware: the `service:Operation` that failed. */
  $orglintOperation?: string;
}

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'UnauthorizedException',
  'AuthorizationError',
  'AuthorizationErrorException',
  'Forbidden',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'AuthFailure',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'AccessDeniedForDependencyException',
]);

const SKIPPED = new Set(['OptInRequired', 'SubscriptionRequiredException']);

const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'EC2ThrottledException',
  'PriorRequestNotComplete',
]);

/** The AWS error code of an SDK error (its name), or undefined for something that is not an Error. */
export function errorCode(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const name = (error as SdkErrorLike).name;
  return typeof name === 'string' ? name : undefined;
}

/** Whether the error is one of the given AWS error codes (used for "NoSuch…" meaning "none"). */
export function isErrorCode(error: unknown, ...codes: string[]): boolean {
  const code = errorCode(error);
  return code !== undefined && codes.includes(code);
}

/** The `service:Operation` the collector's middleware stamped on a failed call. */
export function operationOf(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const op = (error as SdkErrorLike).$orglintOperation;
  return typeof op === 'string' ? op : undefined;
}

/** A coverage status and a reason without secrets, for an error raised while collecting. */
export interface ClassifiedError {
  readonly status: Exclude<CoverageStatus, 'collected'>;
  readonly code: string;
  readonly reason: string;
}

/**
 * Turns any error raised by an SDK call into a coverage verdict. The reason names the call and
 * the AWS error code, and keeps at most the first sentence of the service's message, which
 * names principals and resources but never credentials.
 */
export function classifyError(error: unknown, context?: string): ClassifiedError {
  const e = (error ?? {}) as SdkErrorLike;
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts;
  let code = errorCode(error) ?? 'Error';
  let verdict: ClassifiedError['status'] = 'failed';
  let detail: string;
  if (DENIED.has(code) || status === 403) {
    verdict = 'denied';
    detail = shortMessage(e.message);
  } else if (SKIPPED.has(code)) {
    verdict = 'skipped';
    detail = shortMessage(e.message);
  } else if (THROTTLED.has(code) || status === 429) {
    detail = `still throttled after ${attempts ?? 'all'} attempt${attempts === 1 ? '' : 's'}`;
  } else if (code === 'TimeoutError' || e.code === 'ETIMEDOUT' || code === 'RequestTimeout' || code === 'RequestTimeoutException') {
    code = 'TimeoutError';
    detail = `no answer in time${attempts ? ` after ${attempts} attempt${attempts === 1 ? '' : 's'}` : ''}`;
  } else if (code === 'SyntaxError' && typeof status === 'number') {
    // The service answered with something that is not an AWS response (an HTML error page),
    // which is how an endpoint without that operation (an emulator, a proxy) answers.
    code = `HTTP${status}`;
    detail = 'the answer is not an AWS response; the endpoint does not implement this operation';
  } else if (typeof status === 'number' && status >= 500) {
    detail = `HTTP ${status}: ${shortMessage(e.message)}`;
  } else if (isNetworkCode(e.code)) {
    code = String(e.code);
    detail = shortMessage(e.message);
  } else {
    detail = shortMessage(e.message);
  }
  const op = operationOf(error);
  const where = [op, context].filter(Boolean).join(' ');
  return { status: verdict, code, reason: `${where ? `${where}: ` : ''}${code}${detail ? ` (${detail})` : ''}` };
}

function isNetworkCode(code: unknown): boolean {
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/** The first sentence of a service message, at most 200 characters, on one line. */
function shortMessage(message: unknown): string {
  if (typeof message !== 'string') return '';
  const line = message.replace(/\s+/g, ' ').trim();
  const sentence = /^(.*?[.!?])(\s|$)/.exec(line)?.[1] ?? line;
  return sentence.length > 200 ? `${sentence.slice(0, 197)}...` : sentence;
}

/** Errors that mean the caller's own credentials are missing, expired or unusable. */
export function isCredentialsError(error: unknown): boolean {
  const code = errorCode(error);
  return (
    code === 'CredentialsProviderError' ||
    code === 'ExpiredToken' ||
    code === 'ExpiredTokenException' ||
    code === 'InvalidClientTokenId' ||
    code === 'UnrecognizedClientException' ||
    code === 'SignatureDoesNotMatch' ||
    code === 'TokenProviderError' ||
    code === 'InvalidAccessKeyId' ||
    code === 'RequestExpired'
  );
}
