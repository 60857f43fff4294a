import type { Domain } from '../domain.js';
import { cisCommands } from './cis.commands.js';

/** CI systems: their reports and builds, the health figures, `gatewatch status`, live `ciReports`. */
export const cisDomain: Domain = {
  name: 'cis',
  commands: cisCommands,
  api: async () => (await import('./cis.api.js')).cisApi,
};
