import type { CommandSpec } from '../command.js';
import { timingsCommand } from './timings/timings.commands.js';

/** The insights' commands, one entry per line of this list. */
export const insightsCommands: readonly CommandSpec[] = [timingsCommand];
