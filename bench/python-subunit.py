"""The baseline reader: Debian's python-subunit over one subunit v2 file.

Usage: /usr/bin/python3 python-subunit.py FILE [RUNS]
Reads FILE into memory once, then times only the parse, RUNS times (default 1):
ByteStreamToStreamResult(non_subunit_name='stdout') feeding testtools.StreamToDict, which
assembles each test with its attachments, as gatewatch's parser does. Interpreter start-up
and the disk read are not counted.
Prints one JSON line: {"seconds": [S, ...], "tests": N, "statuses": {status: count}, "bytes": B}.
"""

import io
import json
import sys
import time

import subunit
import testtools


def parse(data):
    statuses = {}

    def on_test(test):
        statuses[test['status']] = statuses.get(test['status'], 0) + 1

    result = testtools.StreamToDict(on_test)
    started = time.perf_counter()
    result.startTestRun()
    subunit.ByteStreamToStreamResult(io.BytesIO(data), non_subunit_name='stdout').run(result)
    result.stopTestRun()
    return time.perf_counter() - started, statuses


def main(path, runs):
    with open(path, 'rb') as f:
        data = f.read()
    seconds = []
    for _ in range(runs):
        elapsed, statuses = parse(data)
        seconds.append(elapsed)
    print(json.dumps({
        'seconds': seconds,
        'tests': sum(statuses.values()),
        'statuses': statuses,
        'bytes': len(data),
    }))


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1)
