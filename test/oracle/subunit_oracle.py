#!/usr/bin/python3
"""What python-subunit + testtools make of a subunit stream, as JSON (the test oracle).

Usage: subunit_oracle.py [--v1] FILE

v2 streams go through subunit.ByteStreamToStreamResult(non_subunit_name='stdout');
v1 streams through subunit.TestProtocolServer feeding testtools'
ExtendedToStreamDecorator (what `subunit-1to2` does). Both end in testtools.StreamToDict.

Prints one JSON object: `rows` (one per test attempt: id, status, start/stop in
microseconds since the epoch or null, sorted tags, sorted non-empty attachment
names), `counts` per status, `parser_errors` (the `subunit.parser` pseudo-tests the
reader emits for damaged packets) and `run_files` (byte length of each file that has
no test id, e.g. interleaved stdout).

Normalisations, so rows compare with gatewatch's TestResult:
- StreamToDict's 'inprogress'/'unknown' (a test that never ended) -> 'incomplete';
- 'exists' enumerations are not results and are dropped;
- v1 without a `time:` line: testtools would stamp events with the wall clock;
  this reports null instead.
"""

import io
import json
import sys

import subunit
import testtools

EPOCH = subunit.iso8601.parse_date(b'1970-01-01T00:00:00Z')


def micros(ts):
    if ts is None:
        return None
    delta = ts - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds


class RunFiles(testtools.StreamResult):
    """Collects file content that belongs to no test."""

    def __init__(self):
        super().__init__()
        self.files = {}

    def status(self, test_id=None, file_name=None, file_bytes=None, **kwargs):
        if test_id is None and file_name is not None and file_bytes:
            self.files[file_name] = self.files.get(file_name, 0) + len(file_bytes)


class NoWallClock(testtools.ExtendedToStreamDecorator):
    def _now(self):
        return self._ExtendedToStreamDecorator__now


class CountingBytes(io.RawIOBase):
    """The v1 server's sink for lines that are not protocol."""

    def __init__(self, run_files):
        self.run_files = run_files

    def writable(self):
        return True

    def write(self, data):
        if data:
            files = self.run_files.files
            files['stdout'] = files.get('stdout', 0) + len(data)
        return len(data)


def main(argv):
    v1 = '--v1' in argv
    path = [a for a in argv if not a.startswith('--')][0]
    rows = []
    parser_errors = 0

    def on_test(test):
        nonlocal parser_errors
        if test['id'] == 'subunit.parser':
            parser_errors += 1
            return
        status = test['status']
        if status == 'exists':
            return
        if status in ('inprogress', 'unknown'):
            status = 'incomplete'
        start, stop = test['timestamps']
        rows.append({
            'id': test['id'],
            'status': status,
            'start': micros(start),
            'stop': micros(stop),
            'tags': sorted(test['tags']),
            'attachments': sorted(
                name for name, content in test['details'].items()
                if b''.join(content.iter_bytes())),
        })

    run_files = RunFiles()
    result = testtools.CopyStreamResult([testtools.StreamToDict(on_test), run_files])
    with open(path, 'rb') as stream:
        if v1:
            target = NoWallClock(result)
            target.startTestRun()
            server = subunit.TestProtocolServer(target, stream=CountingBytes(run_files))
            server.readFrom(stream)
            target.stopTestRun()
        else:
            result.startTestRun()
            subunit.ByteStreamToStreamResult(stream, non_subunit_name='stdout').run(result)
            result.stopTestRun()

    counts = {}
    for row in rows:
        counts[row['status']] = counts.get(row['status'], 0) + 1
    json.dump({
        'format': 'v1' if v1 else 'v2',
        'rows': rows,
        'counts': counts,
        'parser_errors': parser_errors,
        'run_files': run_files.files,
    }, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main(sys.argv[1:])
