import { Migration } from '@mikro-orm/migrations';

/**
 * Flaky and broken verdicts (server/insights/flaky/): each test's standing per scope and the
 * history of its transitions, and the runs' indexes a scope's window is read by.
 */
export class Migration20261204215000_flaky_verdicts extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `flaky_verdicts` (`test_id` int unsigned not null, `scope` varchar(530) not null, `verdict` varchar(16) null, `reason` varchar(16) null, `first_seen` datetime not null, `last_seen` datetime not null, `changed_at` datetime null, primary key (`test_id`, `scope`)) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;',
    );
    this.addSql(
      'alter table `flaky_verdicts` add index `flaky_verdicts_verdict_last_seen_index`(`verdict`, `last_seen`);',
    );
    this.addSql(
      'alter table `flaky_verdicts` add index `flaky_verdicts_test_id_index`(`test_id`);',
    );
    this.addSql(
      'create table `flaky_transitions` (`id` bigint unsigned not null auto_increment primary key, `test_id` int unsigned not null, `scope` varchar(530) not null, `from_verdict` varchar(16) null, `to_verdict` varchar(16) not null, `reason` varchar(16) null, `at` datetime not null, `run_id` int unsigned null) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;',
    );
    this.addSql(
      'alter table `flaky_transitions` add index `flaky_transitions_test_id_scope_index`(`test_id`, `scope`);',
    );
    this.addSql(
      'alter table `flaky_transitions` add index `flaky_transitions_run_id_index`(`run_id`);',
    );
    for (const column of SCOPE_COLUMNS) {
      this.addSql(
        `alter table \`runs\` add index \`runs_${column}_run_at_index\`(\`${column}\`, \`run_at\`);`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const column of SCOPE_COLUMNS) {
      this.addSql(`alter table \`runs\` drop index \`runs_${column}_run_at_index\`;`);
    }
    this.addSql('drop table if exists `flaky_transitions`;');
    this.addSql('drop table if exists `flaky_verdicts`;');
  }
}

/** The runs' columns a scope names (server/insights/flaky/scopes.ts). */
const SCOPE_COLUMNS = ['build_name', 'project', 'branch', 'pipeline'];
