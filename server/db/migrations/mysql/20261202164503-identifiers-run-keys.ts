import { Migration } from '@mikro-orm/migrations';

/** `runs` column ← metadata key, for the text keys. */
const TEXT_KEYS = [
  ['build_uuid', 'build_uuid'],
  ['project', 'project'],
  ['pipeline', 'build_queue'],
  ['branch', 'build_branch'],
];
const NUMBER_KEYS = [
  ['change_number', 'build_change'],
  ['patchset', 'build_patchset'],
];

/** Every table: each has text columns. */
const TABLES = [
  'runs',
  'run_metadata',
  'tests',
  'test_results',
  'attachments',
  'artifacts',
  'artifact_chunks',
  'dstats',
  'dstat_series',
  'test_daily',
  'job_daily',
  'tokens',
];

/**
 * Identifiers become case-sensitive, as on SQLite: text compares byte by byte (utf8mb4_bin)
 * instead of ignoring case (utf8mb4_general_ci). This rebuilds every table; going down fails
 * where values now differ only by case in a unique key.
 *
 * Then a run's change, patch set, CI build, project, pipeline and branch become columns of
 * `runs`, filled from its metadata (as server/runs/run-keys.ts does at ingest): numbers only
 * when the value is a plain integer that fits an int.
 */
export class Migration20261202164503_identifiers_run_keys extends Migration {
  override async up(): Promise<void> {
    for (const table of TABLES) {
      this.addSql(`alter table \`${table}\` convert to character set utf8mb4 collate utf8mb4_bin;`);
    }
    this.addSql(
      `alter table \`runs\` add \`change_number\` int null, add \`patchset\` int null, add \`build_uuid\` varchar(512) null, add \`project\` varchar(512) null, add \`pipeline\` varchar(512) null, add \`branch\` varchar(512) null;`,
    );
    this.addSql(`alter table \`runs\` add index \`runs_build_uuid_index\`(\`build_uuid\`);`);
    this.addSql(
      `alter table \`runs\` add index \`runs_change_number_patchset_index\`(\`change_number\`, \`patchset\`);`,
    );
    for (const [column, key] of TEXT_KEYS) {
      this.addSql(
        `update \`runs\` r join \`run_metadata\` m on m.\`run_id\` = r.\`id\` and m.\`key\` = '${key}' set r.\`${column}\` = m.\`value\`;`,
      );
    }
    for (const [column, key] of NUMBER_KEYS) {
      this.addSql(
        `update \`runs\` r join \`run_metadata\` m on m.\`run_id\` = r.\`id\` and m.\`key\` = '${key}' set r.\`${column}\` = cast(m.\`value\` as unsigned) where m.\`value\` regexp '^[0-9]{1,10}$' and cast(m.\`value\` as unsigned) <= 2147483647;`,
      );
    }
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`runs\` drop index \`runs_build_uuid_index\`;`);
    this.addSql(`alter table \`runs\` drop index \`runs_change_number_patchset_index\`;`);
    this.addSql(
      `alter table \`runs\` drop column \`change_number\`, drop column \`patchset\`, drop column \`build_uuid\`, drop column \`project\`, drop column \`pipeline\`, drop column \`branch\`;`,
    );
    for (const table of TABLES) {
      this.addSql(
        `alter table \`${table}\` convert to character set utf8mb4 collate utf8mb4_general_ci;`,
      );
    }
  }
}
