import type { CommandSpec } from '../command.js';
import { rulesCommand, signaturesCommand } from './signatures/signatures.commands.js';

/** The insights' commands, one entry per line of this list. */
export const insightsCommands: readonly CommandSpec[] = [signaturesCommand, rulesCommand];
