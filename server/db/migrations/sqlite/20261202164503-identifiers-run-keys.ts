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

/**
 * A run's change, patch set, CI build, project, pipeline and branch become columns of `runs`,
 * filled from its metadata (as server/runs/run-keys.ts does at ingest): numbers only when the
 * value is a plain integer that fits an int. (MySQL's twin also makes identifiers
 * case-sensitive; SQLite's BINARY collation already is.)
 */
export class Migration20261202164503_identifiers_run_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`runs\` add column \`change_number\` integer null;`);
    this.addSql(`alter table \`runs\` add column \`patchset\` integer null;`);
    for (const [column] of TEXT_KEYS) {
      this.addSql(`alter table \`runs\` add column \`${column}\` text null;`);
    }
    this.addSql(`create index \`runs_build_uuid_index\` on \`runs\` (\`build_uuid\`);`);
    this.addSql(
      `create index \`runs_change_number_patchset_index\` on \`runs\` (\`change_number\`, \`patchset\`);`,
    );
    const value = (key: string, condition = '') =>
      `(select m.\`value\` from \`run_metadata\` m where m.\`run_id\` = \`runs\`.\`id\` and m.\`key\` = '${key}'${condition})`;
    for (const [column, key] of TEXT_KEYS) {
      this.addSql(`update \`runs\` set \`${column}\` = ${value(key!)};`);
    }
    const plainInt =
      " and m.`value` <> '' and m.`value` not glob '*[^0-9]*' and length(m.`value`) <= 10 and cast(m.`value` as integer) <= 2147483647";
    for (const [column, key] of NUMBER_KEYS) {
      this.addSql(`update \`runs\` set \`${column}\` = cast(${value(key!, plainInt)} as integer);`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(`drop index \`runs_change_number_patchset_index\`;`);
    this.addSql(`drop index \`runs_build_uuid_index\`;`);
    for (const column of ['change_number', 'patchset', ...TEXT_KEYS.map(([c]) => c)]) {
      this.addSql(`alter table \`runs\` drop column \`${column}\`;`);
    }
  }
}
