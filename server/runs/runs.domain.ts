import type { Domain } from '../domain.js';
import type { RunRoutesDeps } from './run.routes.js';

/** Runs: their results, attachments, artifacts and dstat; downloads; live `runIngested`. */
export const runsDomain: Domain<RunRoutesDeps> = {
  name: 'runs',
  api: async () => (await import('./runs.api.js')).runsApi,
};
