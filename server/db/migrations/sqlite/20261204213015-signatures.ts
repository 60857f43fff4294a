import { Migration } from '@mikro-orm/migrations';

/** Failure signatures, their per-result links and daily rollup; known-issue rules and their hits. */
export class Migration20261204213015_signatures extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `signatures` (`id` integer not null primary key autoincrement, `fingerprint` text not null, `summary` text not null, `normalised` text not null, `example_run_id` integer not null, `example_seq` integer not null, `first_seen` datetime not null, `last_seen` datetime not null, `failures` integer not null, `runs` integer not null);',
    );
    this.addSql(
      'create unique index `signatures_fingerprint_unique` on `signatures` (`fingerprint`);',
    );
    this.addSql('create index `signatures_last_seen_index` on `signatures` (`last_seen`);');

    this.addSql(
      'create table `result_signatures` (`run_id` integer not null, `seq` integer not null, `signature_id` integer not null, `test_id` integer not null, `is_new` integer not null, `run_passed` integer not null, constraint `result_signatures_run_id_foreign` foreign key(`run_id`) references `runs`(`id`) on delete cascade on update cascade, primary key (`run_id`, `seq`));',
    );
    this.addSql('create index `result_signatures_run_id_index` on `result_signatures` (`run_id`);');
    this.addSql(
      'create index `result_signatures_signature_id_index` on `result_signatures` (`signature_id`);',
    );
    this.addSql(
      'create index `result_signatures_test_id_index` on `result_signatures` (`test_id`);',
    );
    this.addSql(
      'create index `result_signatures_signature_id_run_id_index` on `result_signatures` (`signature_id`, `run_id`);',
    );

    this.addSql(
      'create table `signature_daily` (`signature_id` integer not null, `build_name` text not null, `day` date not null, `failures` integer not null, `runs` integer not null, primary key (`signature_id`, `build_name`, `day`));',
    );
    this.addSql(
      'create index `signature_daily_signature_id_index` on `signature_daily` (`signature_id`);',
    );

    this.addSql(
      'create table `known_issue_rules` (`id` integer not null primary key autoincrement, `field` text not null, `pattern` text not null, `bug_url` text not null, `title` text not null, `created_at` datetime not null, `disabled_reason` text null);',
    );
    this.addSql(
      'create table `rule_hits` (`rule_id` integer not null, `run_id` integer not null, `seq` integer not null, constraint `rule_hits_rule_id_foreign` foreign key(`rule_id`) references `known_issue_rules`(`id`) on delete cascade on update cascade, constraint `rule_hits_run_id_foreign` foreign key(`run_id`) references `runs`(`id`) on delete cascade on update cascade, primary key (`rule_id`, `run_id`, `seq`));',
    );
    this.addSql('create index `rule_hits_rule_id_index` on `rule_hits` (`rule_id`);');
    this.addSql('create index `rule_hits_run_id_index` on `rule_hits` (`run_id`);');
    this.addSql('create index `rule_hits_run_id_seq_index` on `rule_hits` (`run_id`, `seq`);');
  }

  override async down(): Promise<void> {
    for (const table of [
      'rule_hits',
      'known_issue_rules',
      'signature_daily',
      'result_signatures',
      'signatures',
    ]) {
      this.addSql(`drop table if exists \`${table}\`;`);
    }
  }
}
