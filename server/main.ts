#!/usr/bin/env node
/** The `gatewatch` command. Commands load their implementations only when run. */
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2));
