/**
 * The results of real subunit fixtures as python-subunit and testtools read them: the
 * expectations of the timing and resource tests come from Debian's tools, not from gatewatch's
 * parser.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { FIXTURES } from '../helpers/server.js';

export interface FixtureResult {
  /** Without the trailing `[…]` attributes, as gatewatch names tests. */
  testId: string;
  status: string;
  /** Epoch microseconds. */
  startUs: number;
  stopUs: number;
}

const READ = `
import json, re, sys
import subunit, testtools
rows = []
def add(test):
    start, stop = test['timestamps']
    if test['status'] == 'exists' or None in (start, stop):
        return
    us = lambda t: round(t.timestamp() * 1e6)
    rows.append({'testId': re.sub(r'\\[[^\\[\\]]*\\]$', '', test['id']), 'status': test['status'],
                 'startUs': us(start), 'stopUs': us(stop)})
stream = subunit.ByteStreamToStreamResult(sys.stdin.buffer, non_subunit_name='stdout')
result = testtools.StreamToDict(add)
result.startTestRun()
stream.run(result)
result.stopTestRun()
json.dump(rows, sys.stdout)
`;

/** Every finished result of a fixture, in stream order (testtools' StreamToDict, as stestr reads). */
export function fixtureResults(fixture: string): FixtureResult[] {
  const read = execFileSync('/usr/bin/python3', ['-c', READ], {
    input: readFileSync(`${FIXTURES}${fixture}`),
  });
  return JSON.parse(read.toString()) as FixtureResult[];
}
