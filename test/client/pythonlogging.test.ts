/** A `pythonlogging` attachment split into records with levels, and filtered by level. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { filterByLevel, parseLevel, parseLog } from '../../client/src/pages/run/pythonlogging.js';
import { createSubunitParser } from '../../workers/subunit/parser.js';
import type { TestResult } from '../../workers/subunit/types.js';
import { FIXTURES } from '../helpers/server.js';

const OSLO = [
  '2018-09-28 02:46:35,903 26441 INFO     [tempest.lib.common.rest_client] Request (Agents:test): 200 POST https://10.0.0.1/os-agents 0.275s',
  "2018-09-28 02:46:35,903 26441 DEBUG    [tempest.lib.common.rest_client] Request - Headers: {'Accept': 'application/json'}",
  '        Body: {"agent": {"os": "win"}}',
  "    Response - Headers: {'status': '200'}",
  '2018-09-28 02:46:36,100 26441 WARNING  [tempest.common] Retrying',
  '2018-09-28 02:46:37,000 26441 ERROR    [tempest.common] It broke',
  'Traceback (most recent call last):',
  '  File "x.py", line 1, in <module>',
  'ValueError: no',
  '',
].join('\n');

describe('python logging records', () => {
  it('starts a record at each timestamped level and keeps continuation lines with it', () => {
    const records = parseLog(OSLO);
    expect(records.map((r) => r.level)).toEqual(['INFO', 'DEBUG', 'WARNING', 'ERROR']);
    expect(records[1]!.text.split('\n')).toHaveLength(3);
    expect(records[3]!.text).toContain('ValueError: no');
    // Every line is in exactly one record, in order; the trailing newline adds none.
    expect(records.map((r) => r.text).join('\n')).toBe(OSLO.trimEnd());
  });

  it("reads logging's default format, aliases and lines before the first record", () => {
    const records = parseLog(
      'setting up\nWARNING:root:careful\nWARN:x:old name\n2024-01-02T03:04:05.123 TRACE nova boom\nCRITICAL:y:down',
    );
    expect(records.map((r) => r.level)).toEqual([null, 'WARNING', 'WARNING', 'ERROR', 'CRITICAL']);
    expect(parseLog('')).toEqual([]);
  });

  it('filters by a minimum level, always keeping the lines before the first record', () => {
    const records = parseLog(`preamble\n${OSLO}`);
    expect(filterByLevel(records, 'DEBUG')).toHaveLength(5);
    expect(filterByLevel(records, 'INFO').map((r) => r.level)).toEqual([
      null,
      'INFO',
      'WARNING',
      'ERROR',
    ]);
    expect(filterByLevel(records, 'WARNING').map((r) => r.level)).toEqual([
      null,
      'WARNING',
      'ERROR',
    ]);
    expect(filterByLevel(records, 'CRITICAL').map((r) => r.level)).toEqual([null]);
  });

  it('reads the level URL parameter, DEBUG when absent or unknown', () => {
    expect(parseLevel('warning')).toBe('WARNING');
    expect(parseLevel('')).toBe('DEBUG');
    expect(parseLevel('LOUD')).toBe('DEBUG');
  });

  it("splits stackviz's real tempest log: every INFO and DEBUG line starts a record", () => {
    // The log as the stream carries it, read with the project's own parser.
    const results: TestResult[] = [];
    const parser = createSubunitParser({
      result: (r) => results.push(r),
      runAttachment: () => {},
      parseError: () => {},
    });
    parser.write(readFileSync(`${FIXTURES}subunit/stackviz-tempest.subunit`));
    parser.end();
    const file = results[0]!.attachments.find((a) => a.name.startsWith('pythonlogging'))!;
    const text = Buffer.from(file.bytes).toString('utf8');
    const lines = text.split('\n');
    const starts = (level: string) =>
      lines.filter((line) => new RegExp(`^\\S+ \\S+ \\d+ ${level} `).test(line)).length;
    const records = parseLog(text);
    expect(records.filter((r) => r.level === 'INFO')).toHaveLength(starts('INFO'));
    expect(records.filter((r) => r.level === 'DEBUG')).toHaveLength(starts('DEBUG'));
    expect(records).toHaveLength(starts('INFO') + starts('DEBUG'));
  });
});
