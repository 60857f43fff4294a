import type { CommandSpec } from '../command.js';

/** Scraping a job's logs into a run, and the retention of scraped runs. */
export const scrapeCommands: readonly CommandSpec[] = [
  {
    name: 'scrape',
    summary:
      "scrape a CI job's logs (a change, change,patchset, a Gerrit URL or a log URL) into a run",
    settings: ['allow-host'],
    arguments: [
      { name: 'INPUT', description: 'a change number, change,patchset, Gerrit URL or job log URL' },
    ],
    options: [
      {
        flag: 'job',
        valueName: 'NAME',
        description: 'the job to scrape when the change has several',
      },
      {
        flag: 'json',
        description: 'the stored run as gatewatch ingest --json prints it, with task and url',
      },
    ],
    details:
      'Resolves the input (the database, else the configured Gerrit), queues the job as a task and\n' +
      'runs the queue here until it ends. Exit status: 0 when the run is stored, 1 when the task\n' +
      'failed (a refused host, no subunit stream…), 2 for a bad argument or a change of several\n' +
      'jobs without --job (they are listed).',
    run: async (invocation) => (await import('../cli/scrape.js')).scrape(invocation),
  },
  {
    name: 'purge',
    summary: 'remove scraped runs older than an age (runs uploaded or ingested by hand are kept)',
    options: [
      { flag: 'older-than', valueName: 'AGE', description: 'their age: 12h, 7d, 2w' },
      { flag: 'json', description: 'what was removed, as JSON' },
    ],
    details: 'serve purges on its own every hour (GATEWATCH_SCRAPE_RETENTION, default 7d).',
    run: async (invocation) => (await import('../cli/purge.js')).purge(invocation),
  },
];
