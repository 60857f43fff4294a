/** Binding the HTTP server to its address, with failures a user can act on. */
import type { Server } from 'node:http';
import { SECTIONS } from '../config/settings.js';
import { GatewatchError } from '../errors.js';

/**
 * Listens on `host:port`. An address that is taken, forbidden or not on this machine rejects
 * with a `CANNOT_LISTEN` {@link GatewatchError} whose message names the setting to change;
 * any other failure rejects as it came.
 */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => reject(listenError(error, port, host));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string): unknown {
  const choose = (setting: { flag?: string; valueName?: string; env: string }) =>
    `choose another with --${setting.flag} ${setting.valueName} or ${setting.env}`;
  const otherPort = `${choose(SECTIONS.server.port)} (0: any free port)`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new GatewatchError(
        'CANNOT_LISTEN',
        `port ${port} on ${host} is in use by another process: ${otherPort}`,
      );
    case 'EACCES':
      return new GatewatchError(
        'CANNOT_LISTEN',
        `not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges): ${otherPort}`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new GatewatchError(
        'CANNOT_LISTEN',
        `cannot listen on ${host}: no such address on this machine: ${choose(SECTIONS.server.host)}`,
      );
    default:
      return error;
  }
}
