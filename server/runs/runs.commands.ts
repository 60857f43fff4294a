import type { CommandSpec } from '../command.js';

const RUN = { name: 'RUN', description: 'a run: its uuid, or its first 4+ characters' };

/** Reading stored runs back. */
export const runsCommands: readonly CommandSpec[] = [
  {
    name: 'show',
    summary: "print a run's summary: metadata, counts, slowest tests, failures, dstat",
    arguments: [RUN],
    readOnly: true,
    options: [{ flag: 'json', description: 'the summary as JSON' }],
    run: async (invocation) => (await import('../cli/show.js')).show(invocation),
  },
  {
    name: 'export',
    summary: 'write a run back as a subunit v2 stream on stdout',
    arguments: [RUN],
    readOnly: true,
    options: [
      {
        flag: 'average',
        description: "each test's duration is its mean successful duration over every run",
      },
    ],
    run: async (invocation) => (await import('../cli/export.js')).exportRun(invocation),
  },
];
