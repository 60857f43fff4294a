import { Migration } from '@mikro-orm/migrations';

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
 * Text compares byte by byte (utf8mb4_bin) instead of ignoring case (utf8mb4_general_ci), as
 * on SQLite: job names, metadata, test ids and every other identifier are case-sensitive.
 * Rebuilds each table. Going down fails where values now differ only by case in a unique key.
 */
export class Migration20261202164500_binary_collation extends Migration {
  override async up(): Promise<void> {
    for (const table of TABLES) {
      this.addSql(`alter table \`${table}\` convert to character set utf8mb4 collate utf8mb4_bin;`);
    }
  }

  override async down(): Promise<void> {
    for (const table of TABLES) {
      this.addSql(
        `alter table \`${table}\` convert to character set utf8mb4 collate utf8mb4_general_ci;`,
      );
    }
  }
}
