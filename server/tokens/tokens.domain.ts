import type { Domain } from '../domain.js';
import { tokensCommands } from './tokens.commands.js';

/** API tokens: made and revoked from the CLI, checked by uploads and mutations. */
export const tokensDomain: Domain = {
  name: 'tokens',
  commands: tokensCommands,
};
