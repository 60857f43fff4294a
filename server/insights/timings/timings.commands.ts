import type { CommandSpec } from '../../command.js';

/** `gatewatch timings`: the timing data stestr seeds its scheduler with. */
export const timingsCommand: CommandSpec = {
  name: 'timings',
  summary:
    "write each test's mean successful duration as a subunit v2 stream, for stestr load to seed its scheduler",
  readOnly: true,
  options: [
    { flag: 'job', valueName: 'JOB', description: 'only the runs of this job (build_name)' },
    {
      flag: 'since',
      valueName: 'WHEN',
      description:
        'the mean over the results of runs at or after a UTC date or time, or an age (7d); default: every run',
    },
    {
      flag: 'output',
      short: 'o',
      valueName: 'FILE',
      description: 'write the stream into FILE (whole or not at all) instead of stdout',
    },
  ],
  run: async (invocation) => (await import('../../cli/timings.js')).timings(invocation),
};
