import type { Domain } from '../domain.js';
import { gerritCommands } from './gerrit.commands.js';

/** Gerrit: collecting stream-events and REST into the store; servers, projects, changes, patch sets, live `gerritEvents`. */
export const gerritDomain: Domain = {
  name: 'gerrit',
  commands: gerritCommands,
  api: async () => (await import('./gerrit.api.js')).gerritApi,
};
