import { Migration } from '@mikro-orm/migrations';

/**
 * Flaky and broken verdicts (server/insights/flaky/): each test's standing per scope and the
 * history of its transitions, and the runs' indexes a scope's window is read by.
 */
export class Migration20261204215000_flaky_verdicts extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `flaky_verdicts` (`test_id` integer not null, `scope` text not null, `verdict` text null, `reason` text null, `first_seen` datetime not null, `last_seen` datetime not null, `changed_at` datetime null, primary key (`test_id`, `scope`));',
    );
    this.addSql(
      'create index `flaky_verdicts_verdict_last_seen_index` on `flaky_verdicts` (`verdict`, `last_seen`);',
    );
    this.addSql('create index `flaky_verdicts_test_id_index` on `flaky_verdicts` (`test_id`);');
    this.addSql(
      'create table `flaky_transitions` (`id` integer not null primary key autoincrement, `test_id` integer not null, `scope` text not null, `from_verdict` text null, `to_verdict` text not null, `reason` text null, `at` datetime not null, `run_id` integer null);',
    );
    this.addSql(
      'create index `flaky_transitions_test_id_scope_index` on `flaky_transitions` (`test_id`, `scope`);',
    );
    this.addSql('create index `flaky_transitions_run_id_index` on `flaky_transitions` (`run_id`);');
    for (const column of SCOPE_COLUMNS) {
      this.addSql(
        `create index \`runs_${column}_run_at_index\` on \`runs\` (\`${column}\`, \`run_at\`);`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const column of SCOPE_COLUMNS) this.addSql(`drop index \`runs_${column}_run_at_index\`;`);
    this.addSql('drop table if exists `flaky_transitions`;');
    this.addSql('drop table if exists `flaky_verdicts`;');
  }
}

/** The runs' columns a scope names (server/insights/flaky/scopes.ts). */
const SCOPE_COLUMNS = ['build_name', 'project', 'branch', 'pipeline'];
