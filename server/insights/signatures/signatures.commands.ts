import type { CommandSpec } from '../../command.js';

const JSON_OPTION = { flag: 'json', description: 'as JSON' };

/** `gatewatch signatures` and `gatewatch rules add|list|remove`. */
export const signaturesCommand: CommandSpec = {
  name: 'signatures',
  summary:
    'failure signatures, last seen first: fingerprint, failures, runs, first/last seen, summary',
  readOnly: true,
  options: [
    {
      flag: 'since',
      valueName: 'WHEN',
      description:
        'only signatures seen at or after a UTC date or time (2026-12-01) or an age (7d)',
    },
    { flag: 'job', valueName: 'JOB', description: 'only signatures seen in runs of this job' },
    JSON_OPTION,
  ],
  run: async (invocation) => (await import('../../cli/signatures.js')).signatures(invocation),
};

export const rulesCommand: CommandSpec = {
  name: 'rules',
  summary: 'add, list or remove the known-issue rules that name the bug behind failures',
  subcommands: [
    {
      name: 'add',
      summary: 'add a rule and apply it to the newest stored failures (signatures.backfill)',
      options: [
        {
          flag: 'pattern',
          valueName: 'RE',
          description: 'a regular expression (JavaScript syntax)',
        },
        {
          flag: 'field',
          valueName: 'FIELD',
          description:
            'what --pattern is matched on: message (the exception line; default), traceback or test',
        },
        { flag: 'fingerprint', valueName: 'F', description: 'instead of --pattern: a signature' },
        { flag: 'bug', valueName: 'URL', description: 'the bug' },
        { flag: 'title', valueName: 'T', description: "the bug's title" },
        JSON_OPTION,
      ],
      run: async (invocation) =>
        (await import('../../cli/signatures.js')).addKnownIssueRule(invocation),
    },
    {
      name: 'list',
      summary: 'every rule: hits, hits on runs that passed, last hit, imprecise/stale/disabled',
      readOnly: true,
      options: [JSON_OPTION],
      run: async (invocation) =>
        (await import('../../cli/signatures.js')).listKnownIssueRules(invocation),
    },
    {
      name: 'remove',
      summary: 'remove a rule and its hits',
      arguments: [{ name: 'ID', description: 'the rule id (rules list)' }],
      run: async (invocation) =>
        (await import('../../cli/signatures.js')).removeKnownIssueRule(invocation),
    },
  ],
};
