/** Where the benchmarks find the repository's files, whether run compiled or under tsx. */
import { fileURLToPath } from 'node:url';

// Compiled, this module is dist/bench/paths.js; under tsx it is bench/paths.ts.
const compiled = !import.meta.url.endsWith('.ts');

/** The repository's root directory. */
export const REPO_ROOT = fileURLToPath(new URL(compiled ? '../../' : '../', import.meta.url));

/** The compiled `gatewatch` command (`npm run build` makes it). */
export const CLI = `${REPO_ROOT}dist/server/main.js`;

/** A real stestr stream: 63 tests, one failing with a traceback, stdout and stderr attachments. */
export const STESTR_FIXTURE = `${REPO_ROOT}test/fixtures/subunit/stestr-failure.subunit`;

/** The python-subunit baseline script (not compiled: read from the sources). */
export const PYTHON_BASELINE = `${REPO_ROOT}bench/python-subunit.py`;
