/**
 * The failure normaliser, word for word on real tracebacks: stestr's sample stream, the
 * project's own stestr streams and the insight history (Debian's stestr running a suite that
 * fails with varied detail).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  maskText,
  signatureOf,
  type FailureSignature,
} from '../../workers/signatures/normalise.js';
import { createSubunitParser } from '../../workers/subunit/parser.js';

/** The signatures of a fixture's failing results, by test id (the last one of a retried test). */
function signaturesIn(fixture: string): Map<string, FailureSignature> {
  const found = new Map<string, FailureSignature>();
  const parser = createSubunitParser({
    result(result) {
      const traceback = result.attachments.find((a) => a.name === 'traceback');
      if (result.status !== 'fail' || !traceback) return;
      found.set(result.testId, signatureOf(Buffer.from(traceback.bytes).toString('utf8'))!);
    },
    runAttachment() {},
    parseError() {},
  });
  parser.write(readFileSync(new URL(`../fixtures/${fixture}`, import.meta.url)));
  parser.end();
  return found;
}

function only(fixture: string, testId: string): FailureSignature {
  const signature = signaturesIn(fixture).get(testId);
  if (!signature) throw new Error(`${fixture} has no failure of ${testId}`);
  return signature;
}

const SERVICE = 'insight.tests.test_service.ServiceTest';

describe('normalised tracebacks', () => {
  it("stestr's sample failure: the path in the message is cut to its base name", () => {
    const s = only(
      'subunit/stestr-failure.subunit',
      'stestr.tests.test_subunit_trace.TestSubunitTrace.test_trace_with_all_skips',
    );
    expect(s.normalised).toBe(
      [
        'Traceback (most recent call last):',
        '  File "test_subunit_trace.py", in test_trace_with_all_skips',
        "IOError: [Errno <n>] No such file or directory: '<path>/skips.subunit'",
      ].join('\n'),
    );
    expect(s.summary).toBe(
      "IOError: [Errno <n>] No such file or directory: '<path>/skips.subunit'",
    );
    expect(s.message).toBe(
      "IOError: [Errno 2] No such file or directory: '/home/computertreker/git/stestr/stestr/tests/sample_streams/skips.subunit'",
    );
    expect(s.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a testtools mismatch through library frames: frames keep file base name and function', () => {
    const s = only(
      'subunit/sample-last.subunit',
      'sample.tests.test_ids.AgentsAdminTestJSON.test_delete_agent',
    );
    expect(s.normalised).toBe(
      [
        'Traceback (most recent call last):',
        '  File "test_ids.py", in test_delete_agent',
        '  File "testcase.py", in assertEqual',
        '  File "testcase.py", in assertThat',
        "testtools.matchers._impl.MismatchError: 'deleted' != 'still here'",
      ].join('\n'),
    );
  });

  it('memory addresses and temporary paths', () => {
    expect(only('insights/run-01.subunit', `${SERVICE}.test_create_server`).normalised).toBe(
      [
        'Traceback (most recent call last):',
        '  File "test_service.py", in test_create_server',
        '  File "test_service.py", in check',
        '  File "failures.py", in fail_as',
        '  File "case.py", in fail',
        'AssertionError: server object at <hex>: expected status ACTIVE in <path>/server-state.json, got ERROR',
      ].join('\n'),
    );
  });

  it('durations, IPv4 addresses and ports', () => {
    expect(only('insights/run-05.subunit', `${SERVICE}.test_network_wait`).summary).toBe(
      'TimeoutError: timed out after <duration> waiting for <ip>:<n> to accept connections',
    );
  });

  it('timestamps with zones, numbers after a hyphen', () => {
    expect(only('insights/run-17.subunit', `${SERVICE}.test_lock_release`).summary).toBe(
      'RuntimeError: lock compute-<n> held since <time>: gave up waiting',
    );
  });

  it('UUIDs', () => {
    expect(only('insights/run-20.subunit', `${SERVICE}.test_delete_volume`).summary).toBe(
      "KeyError: '<uuid>'",
    );
  });

  it('masks hex ids, IPv6 and times of day; keeps digits inside names', () => {
    expect(
      maskText(
        'test_v2_api on python3: commit 1a2b3c4d5e6f7a8b from fe80::1 and 2001:db8:0:0:0:0:2:1 at 20:39:56.123 took 100ms',
      ),
    ).toBe('test_v2_api on python3: commit <hex> from <ip> and <ip> at <time> took <duration>');
  });

  it('no traceback text: no signature', () => {
    expect(signatureOf('\n  \n')).toBeNull();
  });
});

describe('fingerprints', () => {
  it('are shared by failures differing only in masked parts', () => {
    // Other durations, addresses and ports; other config values and columns; other UUIDs.
    const pairs: [string, string, string][] = [
      ['insights/run-05.subunit', 'insights/run-11.subunit', `${SERVICE}.test_network_wait`],
      ['insights/run-08.subunit', 'insights/run-09.subunit', `${SERVICE}.test_parse_config`],
      ['insights/run-20.subunit', 'insights/run-21.subunit', `${SERVICE}.test_delete_volume`],
    ];
    for (const [a, b, test] of pairs) {
      const [first, second] = [only(a, test), only(b, test)];
      expect(first.message).not.toBe(second.message);
      expect(first.fingerprint).toBe(second.fingerprint);
    }
  });

  it('differ when a frame differs (the same message raised from another test)', () => {
    const create = only('insights/run-01.subunit', `${SERVICE}.test_create_server`);
    const login = only('insights/run-13.subunit', 'insight.tests.test_auth.AuthTest.test_login');
    expect(create.summary).toBe(login.summary);
    expect(create.fingerprint).not.toBe(login.fingerprint);
  });

  it('differ when the exception type differs', () => {
    const traceback = [
      'Traceback (most recent call last):',
      '  File "/opt/stack/tempest/test_servers.py", line 12, in test_boot',
      '    self.boot()',
      'TimeoutException: boot took 12.5 seconds',
    ].join('\n');
    const elsewhere = traceback.replace('/opt/stack/', '/home/zuul/src/').replace('12.5', '300');
    const otherType = traceback.replace('TimeoutException', 'BuildErrorException');
    expect(signatureOf(elsewhere)!.fingerprint).toBe(signatureOf(traceback)!.fingerprint);
    expect(signatureOf(otherType)!.fingerprint).not.toBe(signatureOf(traceback)!.fingerprint);
  });
});
