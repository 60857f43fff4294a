import { createApp } from '../app.js';
import { describeDb, hidePassword, loadConfig } from '../config.js';
import { dbOption, parseCommandArgs, type Command } from './command.js';

export const serve: Command = {
  name: 'serve',
  summary: 'serve the GraphQL API, the explorer (/graphiql) and the dashboard (/)',
  usage:
    'gatewatch serve [--db URL] [--port 4000] [--host 127.0.0.1] [--max-upload 512MiB] [--redis URL]',
  async run(argv) {
    const { values } = parseCommandArgs('serve', argv, {
      ...dbOption,
      port: { type: 'string' },
      host: { type: 'string' },
      'max-upload': { type: 'string' },
      redis: { type: 'string' },
    });
    const config = loadConfig({
      db: values.db,
      port: values.port,
      host: values.host,
      maxUpload: values['max-upload'],
      redis: values.redis,
    });
    const app = await createApp(config);
    console.log(`gatewatch: serving ${describeDb(config.db)} at ${app.url}`);
    console.log(
      `  GraphQL ${app.url}/graphql · explorer ${app.url}/graphiql · dashboard ${app.url}/`,
    );
    if (config.redis.url !== null) {
      console.log(
        `  events shared through Redis at ${hidePassword(config.redis.url)} (prefix ${config.redis.prefix})`,
      );
    }
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        console.log(`gatewatch: ${signal}: draining requests and closing`);
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await app.close();
    return 0;
  },
};
