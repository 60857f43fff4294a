// Passed to node with --import: every module URL the process resolves is appended to the file
// named by $GATEWATCH_TEST_RESOLVED_LOG (the hooks run on their own thread, hence a file).
import { register } from 'node:module';
import process from 'node:process';

register('./log-resolved.hooks.mjs', import.meta.url, {
  data: { log: process.env.GATEWATCH_TEST_RESOLVED_LOG },
});
