import type { Domain } from '../domain.js';
import { runsCommands } from './runs.commands.js';
import type { RunRoutesDeps } from './run.routes.js';

/** Runs: their results, attachments, artifacts and dstat; downloads; live `runIngested`. */
export const runsDomain: Domain<RunRoutesDeps> = {
  name: 'runs',
  commands: runsCommands,
  api: async () => (await import('./runs.api.js')).runsApi,
};
