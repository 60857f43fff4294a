import { describeDb, loadConfig } from '../config/config.js';
import { GatewatchError } from '../errors.js';
import { startCollection, storeServer } from '../gerrit/collection.js';
import { loadGerritServers } from '../gerrit/options.js';
import { replayEvents } from '../gerrit/replay.js';
import { openGerritStore } from '../gerrit/store.js';
import { openRuntime } from '../runtime.js';
import { switchOption, textOption, type CliIo, type Invocation } from '../command.js';
import { reparseReports } from '../gerrit/reparse.js';
import { untilStopSignal } from './signals.js';

/** Replay warnings printed one by one; past these, only counted. */
const SHOWN_REPLAY_WARNINGS = 10;

/** `gatewatch collect`: runs until SIGINT/SIGTERM; with `--replay FILE`, until the file is read. */
export async function collect(invocation: Invocation): Promise<number> {
  const { options, io } = invocation;
  const config = loadConfig(options, io.env);
  const replay = textOption(invocation, 'replay');
  const reparse = switchOption(invocation, 'reparse');
  if (replay !== undefined && reparse) {
    throw new GatewatchError('BAD_ARGUMENT', '--replay and --reparse: give one of them');
  }
  const offline = replay !== undefined || reparse;
  const servers = loadGerritServers(options, io.env, { replay: offline });
  const runtime = await openRuntime(config);
  try {
    if (replay !== undefined) return await replayFile(replay, runtime, servers[0]!, io);
    if (reparse) {
      const counts = await reparseReports(runtime.services, { servers });
      io.stdout.write(
        `gatewatch collect --reparse: ${counts.comments} comments read: ${counts.reports} CI ` +
          `reports with ${counts.builds} builds, ${counts.unparsed} unparsed, ` +
          `${counts.reclassified} classified differently than before\n`,
      );
      return 0;
    }
    await startCollection(runtime, servers, logTo(io));
    io.stdout.write(
      `gatewatch collect: collecting ${servers.map((s) => s.name).join(', ')} into ` +
        `${describeDb(config.database.target)}\n`,
    );
    const signal = await untilStopSignal();
    io.stdout.write(`gatewatch collect: ${signal}: writing what is pending and closing\n`);
    return 0;
  } finally {
    await runtime.stop();
  }
}

async function replayFile(
  file: string,
  runtime: Awaited<ReturnType<typeof openRuntime>>,
  server: Parameters<typeof storeServer>[0],
  io: CliIo,
): Promise<number> {
  const store = await openGerritStore(runtime.services, storeServer(server));
  let warnings = 0;
  try {
    const summary = await replayEvents(file, store, {
      projects: server.projects,
      warn: (message) => {
        warnings += 1;
        if (warnings <= SHOWN_REPLAY_WARNINGS) io.stderr.write(`gatewatch collect: ${message}\n`);
      },
    });
    if (warnings > SHOWN_REPLAY_WARNINGS) {
      io.stderr.write(
        `gatewatch collect: ${warnings - SHOWN_REPLAY_WARNINGS} more entries skipped\n`,
      );
    }
    io.stdout.write(
      `${file}: ${summary.read} events read, ${summary.stored} stored, ` +
        `${summary.duplicates} already stored, ${summary.other} of other types, ` +
        `${summary.reports} CI reports; skipped ${summary.invalid} invalid, ` +
        `${summary.tooLong} too long, ${summary.filtered} of other projects\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

function logTo(io: CliIo): (message: string) => void {
  return (message) => io.stderr.write(`${new Date().toISOString()} ${message}\n`);
}
