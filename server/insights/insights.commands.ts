import type { CommandSpec } from '../command.js';

/** The insights' commands, one entry per line of this list. */
export const insightsCommands: readonly CommandSpec[] = [];
