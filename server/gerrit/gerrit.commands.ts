import type { CommandSpec, OptionSpec } from '../command.js';
import { GERRIT_HTTP_PASSWORD_ENV, GERRIT_SERVER, type Setting } from '../config/settings.js';

/** The settings of one Gerrit server as options (`--ssh`, `--rest`, `--project`…). */
export const gerritOptions: readonly OptionSpec[] = (
  Object.values(GERRIT_SERVER) as Setting<unknown>[]
).map((setting) => {
  const facts = [
    ...(setting.default === null ? [] : [`default: ${setting.default}`]),
    `env: ${setting.env}`,
  ];
  return {
    // Every Gerrit server setting has a flag and a value name (see GERRIT_SERVER).
    flag: setting.flag!,
    valueName: setting.valueName!,
    description: `${setting.description} (${facts.join('; ')})`,
    repeatable: setting.key === 'projects' || setting.key === 'cis',
  };
});

const details =
  "Without --ssh and --rest, the servers listed in the config file's gerrit section are\n" +
  `collected. The REST password is read from ${GERRIT_HTTP_PASSWORD_ENV}. Host keys are\n` +
  'always verified against --known-hosts. SIGINT/SIGTERM write what is pending and exit 0.';

/** Collecting Gerrit events. */
export const gerritCommands: readonly CommandSpec[] = [
  {
    name: 'collect',
    summary: 'collect Gerrit events (stream-events over SSH, REST catch-up) into the database',
    options: [
      ...gerritOptions,
      {
        flag: 'replay',
        valueName: 'FILE',
        description: 'store the events of a file (JSON lines or a JSON array), then exit',
      },
      {
        flag: 'reparse',
        description:
          'derive every CI report and build again from the kept comments (after a parser change), then exit',
      },
    ],
    details,
    run: async (invocation) => (await import('../cli/collect.js')).collect(invocation),
  },
];
