import type { CommandSpec } from '../command.js';
import { rechecksCommand } from './rechecks/rechecks.commands.js';
import { rulesCommand, signaturesCommand } from './signatures/signatures.commands.js';
import { timingsCommand } from './timings/timings.commands.js';

/** The insights' commands, one entry per line of this list. */
export const insightsCommands: readonly CommandSpec[] = [
  timingsCommand,
  signaturesCommand,
  rulesCommand,
  rechecksCommand,
  {
    name: 'flaky',
    summary:
      'list flaky and broken tests per scope (job, project, branch, queue) with their evidence',
    readOnly: true,
    options: [
      { flag: 'job', valueName: 'JOB', description: 'only verdicts on this job (build_name)' },
      { flag: 'project', valueName: 'PROJECT', description: 'only verdicts on this project' },
      { flag: 'branch', valueName: 'BRANCH', description: 'only verdicts on this branch' },
      { flag: 'queue', valueName: 'QUEUE', description: 'only verdicts on this queue (pipeline)' },
      {
        flag: 'since',
        valueName: 'WHEN',
        description: 'only tests that failed at or after a UTC date or time or an age (12h, 7d)',
      },
      { flag: 'json', description: 'the verdicts as JSON, with their evidence and history' },
      {
        flag: 'exclude-list',
        description: 'one anchored regex per flaky test: the file stestr run --exclude-list takes',
      },
    ],
    details:
      'With several of --job, --project, --branch, --queue: verdicts on any of them.\n' +
      'Thresholds, window and scopes: the flaky settings (GATEWATCH_FLAKY_*).',
    run: async (invocation) => (await import('../cli/flaky.js')).flaky(invocation),
  },
];
