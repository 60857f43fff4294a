import { createHash } from 'node:crypto';

/** The key of a `tests` row: the sha256 of its id, since ids can be longer than MySQL indexes. */
export function hashTestId(testId: string): string {
  return createHash('sha256').update(testId).digest('hex');
}
