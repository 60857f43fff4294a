import { Migration } from '@mikro-orm/migrations';

const TABLE = 'default character set utf8mb4 collate utf8mb4_bin engine = InnoDB';

/** Failure signatures, their per-result links and daily rollup; known-issue rules and their hits. */
export class Migration20261204213015_signatures extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`signatures\` (\`id\` int unsigned not null auto_increment primary key, \`fingerprint\` varchar(64) not null, \`summary\` varchar(500) not null, \`normalised\` text not null, \`example_run_id\` int not null, \`example_seq\` int not null, \`first_seen\` datetime not null, \`last_seen\` datetime not null, \`failures\` int not null, \`runs\` int not null) ${TABLE};`,
    );
    this.addSql(
      'alter table `signatures` add unique `signatures_fingerprint_unique`(`fingerprint`), add index `signatures_last_seen_index`(`last_seen`);',
    );

    this.addSql(
      `create table \`result_signatures\` (\`run_id\` int unsigned not null, \`seq\` int unsigned not null, \`signature_id\` int unsigned not null, \`test_id\` int unsigned not null, \`is_new\` tinyint(1) not null, \`run_passed\` tinyint(1) not null, primary key (\`run_id\`, \`seq\`)) ${TABLE};`,
    );
    this.addSql(
      'alter table `result_signatures` add index `result_signatures_run_id_index`(`run_id`), add index `result_signatures_signature_id_index`(`signature_id`), add index `result_signatures_test_id_index`(`test_id`), add index `result_signatures_signature_id_run_id_index`(`signature_id`, `run_id`);',
    );
    this.addSql(
      'alter table `result_signatures` add constraint `result_signatures_run_id_foreign` foreign key (`run_id`) references `runs` (`id`) on update cascade on delete cascade;',
    );

    this.addSql(
      `create table \`signature_daily\` (\`signature_id\` int unsigned not null, \`build_name\` varchar(255) not null, \`day\` date not null, \`failures\` int not null, \`runs\` int not null, primary key (\`signature_id\`, \`build_name\`, \`day\`)) ${TABLE};`,
    );
    this.addSql(
      'alter table `signature_daily` add index `signature_daily_signature_id_index`(`signature_id`);',
    );

    this.addSql(
      `create table \`known_issue_rules\` (\`id\` int unsigned not null auto_increment primary key, \`field\` varchar(16) not null, \`pattern\` varchar(1000) not null, \`bug_url\` varchar(1000) not null, \`title\` varchar(255) not null, \`created_at\` datetime not null, \`disabled_reason\` varchar(500) null) ${TABLE};`,
    );
    this.addSql(
      `create table \`rule_hits\` (\`rule_id\` int unsigned not null, \`run_id\` int unsigned not null, \`seq\` int unsigned not null, primary key (\`rule_id\`, \`run_id\`, \`seq\`)) ${TABLE};`,
    );
    this.addSql(
      'alter table `rule_hits` add index `rule_hits_rule_id_index`(`rule_id`), add index `rule_hits_run_id_index`(`run_id`), add index `rule_hits_run_id_seq_index`(`run_id`, `seq`);',
    );
    this.addSql(
      'alter table `rule_hits` add constraint `rule_hits_rule_id_foreign` foreign key (`rule_id`) references `known_issue_rules` (`id`) on update cascade on delete cascade, add constraint `rule_hits_run_id_foreign` foreign key (`run_id`) references `runs` (`id`) on update cascade on delete cascade;',
    );
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
