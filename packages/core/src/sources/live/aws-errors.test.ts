import { describe, expect, it } from 'vitest';
import { classifyError, isCredentialsError, isErrorCode } from './aws-errors.js';

function sdkError(name: string, message: string, metadata: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: metadata, ...extra });
}

describe('classifyError', () => {
  it('calls refusals denied, naming the call and the code with the first sentence of the message', () => {
    const error = sdkError('AccessDeniedException', 'User: arn:aws:sts::1:assumed-role/a/b is not authorized to perform: kms:ListKeys. Extra detail.', { httpStatusCode: 400 }, {
      $orglintOperation: 'kms:ListKeys',
    });
    expect(classifyError(error)).toEqual({
      status: 'denied',
      code: 'AccessDeniedException',
      reason: 'kms:ListKeys: AccessDeniedException (User: arn:aws:sts::1:assumed-role/a/b is not authorized to perform: kms:ListKeys.)',
    });
    expect(classifyError(sdkError('UnauthorizedOperation', 'You are not authorized.')).status).toBe('denied');
    expect(classifyError(sdkError('Whatever', 'nope', { httpStatusCode: 403 })).status).toBe('denied');
  });

  it('says how often a throttled call was tried, and that a timeout got no answer', () => {
    expect(classifyError(sdkError('ThrottlingException', 'Rate exceeded', { attempts: 5 }, { $orglintOperation: 'rds:DescribeDBInstances' })).reason).toBe(
      'rds:DescribeDBInstances: ThrottlingException (still throttled after 5 attempts)',
    );
    expect(classifyError(sdkError('TooManyRequestsException', 'slow down', { httpStatusCode: 429 })).status).toBe('failed');
    expect(classifyError(sdkError('TimeoutError', 'socket hang', { attempts: 2 }), 'bucket x').reason).toBe('bucket x: TimeoutError (no answer in time after 2 attempts)');
  });

  it('recognises an endpoint that does not implement the operation, and skips opt-in regions', () => {
    const html = sdkError('SyntaxError', "Unexpected token '<'", { httpStatusCode: 500 }, { $orglintOperation: 'access-analyzer:ListAnalyzers' });
    expect(classifyError(html)).toMatchObject({ status: 'failed', code: 'HTTP500' });
    expect(classifyError(sdkError('OptInRequired', 'You are not subscribed to this service.')).status).toBe('skipped');
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })).reason).toBe(
      'ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:1)',
    );
    expect(classifyError('a string').reason).toBe('Error');
  });

  it('knows codes and credential failures', () => {
    expect(isErrorCode(sdkError('NoSuchTagSet', 'x'), 'NoSuchTagSet', 'Other')).toBe(true);
    expect(isErrorCode(undefined, 'NoSuchTagSet')).toBe(false);
    expect(isCredentialsError(sdkError('ExpiredToken', 'x'))).toBe(true);
    expect(isCredentialsError(sdkError('AccessDenied', 'x'))).toBe(false);
  });
});
