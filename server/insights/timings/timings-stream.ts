/**
 * Mean durations as the subunit v2 stream `stestr load` turns into its scheduler's timing
 * data: per test an `inprogress` and a `success` whose timestamps lie the mean apart, one
 * test after the other from `start`, as a serial run would have written them.
 */
import { encodePacket, timestampOfMicros } from '../../../workers/subunit/encode.js';
import type { MeanDuration } from './timings.service.js';

export function* timingsStream(tests: readonly MeanDuration[], start: Date): Generator<Buffer> {
  let us = start.getTime() * 1000;
  for (const { testId, meanUs } of tests) {
    yield encodePacket({
      testId,
      status: 'inprogress',
      runnable: true,
      timestamp: timestampOfMicros(us),
    });
    us += meanUs;
    yield encodePacket({
      testId,
      status: 'success',
      runnable: true,
      timestamp: timestampOfMicros(us),
    });
  }
}
