import type { Domain } from '../domain.js';
import { gerritCommands } from './gerrit.commands.js';

/** Gerrit: collecting stream-events and REST into the store. */
export const gerritDomain: Domain = {
  name: 'gerrit',
  commands: gerritCommands,
};
