import { InvalidValue, longDurationOrOff } from '../config/parsers.js';
import { GatewatchError } from '../errors.js';

/**
 * `--older-than AGE` (`12h`, `7d`, `186d`) in milliseconds. An age that cannot be read, and `0`
 * (which would remove everything stored), are bad arguments.
 */
export function olderThanMs(text: string): number {
  let ms: number;
  try {
    ms = longDurationOrOff(text);
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    throw new GatewatchError('BAD_ARGUMENT', `--older-than ${text}: ${error.why}`);
  }
  if (ms === 0) {
    throw new GatewatchError(
      'BAD_ARGUMENT',
      `--older-than ${text}: an age of 0 would remove everything; give one such as 7d or 186d`,
    );
  }
  return ms;
}
