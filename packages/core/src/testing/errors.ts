import { OrglintError } from '../errors.js';

/** The OrglintError a call throws; anything else thrown propagates, and no throw fails the test. */
export function thrownBy(fn: () => unknown): OrglintError {
  try {
    fn();
  } catch (error) {
    if (error instanceof OrglintError) return error;
    throw error;
  }
  throw new Error('expected an OrglintError');
}

/** The OrglintError a promise rejects with, as {@link thrownBy} for async calls. */
export async function rejectionOf(promise: Promise<unknown>): Promise<OrglintError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OrglintError) return error;
    throw error;
  }
  throw new Error('expected an OrglintError');
}
