import type { CommandSpec } from '../../command.js';

/** `gatewatch rechecks`: what rechecks cost and what fixing each flaky test or issue would save. */
export const rechecksCommand: CommandSpec = {
  name: 'rechecks',
  summary:
    'rechecks, the node-hours of re-runs, and those flaky tests and known issues caused, by test and by signature',
  readOnly: true,
  options: [
    {
      flag: 'since',
      valueName: 'WHEN',
      description: 'from a UTC date or time or an age (7d); default: 30 days before --until',
    },
    {
      flag: 'until',
      valueName: 'WHEN',
      description: 'up to a UTC date or time or an age (excluded); default: now',
    },
    { flag: 'project', valueName: 'PROJECT', description: 'only changes of this project' },
    {
      flag: 'ci',
      valueName: 'ACCOUNT',
      description: "only this CI's re-runs (rechecks are counted whichever CI they ask)",
    },
    {
      flag: 'limit',
      short: 'n',
      valueName: 'N',
      description: 'the N first changes, tests and signatures (default 20, at most 100)',
    },
    { flag: 'json', description: 'the totals and rankings as one JSON object' },
  ],
  details: 'Windows are at most 90 days. Node-hours count one node per build.',
  run: async (invocation) => (await import('../../cli/rechecks.js')).rechecks(invocation),
};
