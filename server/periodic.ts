import { logInternal } from './graphql/errors.js';
import type { Runtime } from './runtime.js';

/**
 * Runs `task` now and then every `everyMs` under `runtime` (the retention purges of `serve`),
 * never two at once; stopped with the runtime's tasks, after the run in flight.
 */
export function schedulePeriodic(
  runtime: Runtime,
  name: string,
  everyMs: number,
  task: () => Promise<void>,
): void {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running.then(task).catch(logInternal);
  };
  const timer = setInterval(run, everyMs);
  run();
  runtime.add({
    name,
    stage: 'tasks',
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  });
}
