"""Reads subunit v2 streams with python-subunit, the reference reader, and prints what it saw.

stdin: one or more frames, each a uint32 big-endian byte count then that many stream bytes.
stdout: a JSON list with one item per stream:
  {"events": [every StreamResult.status() call], "tests": [StreamToDict's test dicts]}
  or {"crash": "<exception>"} when the reader itself raised.
Bytes are base64; timestamps are [seconds since the epoch, microseconds].

Each stream is read from a real file, as `subunit2csv < FILE` would: with a source that has
no file descriptor (io.BytesIO) the reader takes the one-byte-at-a-time path, where a 0xB3
that ends a UTF-8 character of non-subunit output is both output and a packet start.
"""

import base64
import datetime
import json
import struct
import sys
import tempfile

import subunit
import testtools

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def b64(data):
    return None if data is None else base64.b64encode(bytes(data)).decode('ascii')


def stamp(when):
    if when is None:
        return None
    delta = when - EPOCH
    return [delta.days * 86400 + delta.seconds, delta.microseconds]


class Recorder(testtools.StreamResult):
    def __init__(self):
        super().__init__()
        self.events = []

    def status(self, test_id=None, test_status=None, test_tags=None, runnable=True,
               file_name=None, file_bytes=None, eof=False, mime_type=None,
               route_code=None, timestamp=None):
        self.events.append({
            'testId': test_id,
            'status': test_status,
            'tags': None if test_tags is None else sorted(test_tags),
            'runnable': runnable,
            'fileName': file_name,
            'fileBytes': b64(file_bytes),
            'eof': eof,
            'mime': mime_type,
            'routeCode': route_code,
            'timestamp': stamp(timestamp),
        })


def test_dict(test):
    details = {}
    for name, content in test['details'].items():
        kind = content.content_type
        details[name] = {
            'type': '%s/%s' % (kind.type, kind.subtype),
            'parameters': kind.parameters,
            'bytes': b64(b''.join(content.iter_bytes())),
        }
    return {
        'id': test['id'],
        'status': test['status'],
        'tags': sorted(test['tags']),
        'details': details,
        'timestamps': [stamp(t) for t in test['timestamps']],
    }


def read(stream):
    recorder = Recorder()
    tests = []
    result = testtools.CopyStreamResult([recorder, testtools.StreamToDict(tests.append)])
    result.startTestRun()
    with tempfile.TemporaryFile() as source:
        source.write(stream)
        source.seek(0)
        try:
            subunit.ByteStreamToStreamResult(source, non_subunit_name='stdout').run(result)
        except Exception as error:  # the reference crashes on some damage; report, go on
            return {'crash': repr(error)}
    result.stopTestRun()
    return {'events': recorder.events, 'tests': [test_dict(t) for t in tests]}


def main():
    data = sys.stdin.buffer.read()
    out = []
    pos = 0
    while pos < len(data):
        (size,) = struct.unpack('>I', data[pos:pos + 4])
        out.append(read(data[pos + 4:pos + 4 + size]))
        pos += 4 + size
    json.dump(out, sys.stdout)


main()
