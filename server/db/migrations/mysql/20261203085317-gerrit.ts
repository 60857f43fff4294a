import { Migration } from '@mikro-orm/migrations';

const TABLES = [
  'run_log_keys',
  'ci_builds',
  'gerrit_state_changes',
  'ci_reports',
  'ci_systems',
  'gerrit_comments',
  'gerrit_patch_sets',
  'gerrit_changes',
  'gerrit_accounts',
  'gerrit_projects',
  'gerrit_servers',
  'gerrit_leases',
];

/**
 * The Gerrit side: servers, projects, accounts, changes, patch sets, their state changes and
 * comments; CI systems, their reports and builds; the collector leases; the runs' log keys that
 * link builds to ingested runs.
 */
export class Migration20261203085317_gerrit extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`gerrit_leases\` (\`server\` varchar(191) not null, \`holder\` varchar(255) not null, \`expires_at\` datetime not null, primary key (\`server\`)) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;`,
    );

    this.addSql(
      `create table \`gerrit_servers\` (\`id\` int unsigned not null auto_increment primary key, \`name\` varchar(191) not null, \`url\` varchar(1024) not null, \`last_event_at\` datetime null) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`gerrit_servers\` add unique \`gerrit_servers_name_unique\`(\`name\`);`,
    );

    this.addSql(
      `create table \`gerrit_projects\` (\`id\` int unsigned not null auto_increment primary key, \`server_id\` int unsigned not null, \`name\` varchar(255) not null) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`gerrit_projects\` add unique \`gerrit_projects_server_id_name_unique\`(\`server_id\`, \`name\`);`,
    );

    this.addSql(
      `create table \`gerrit_accounts\` (\`id\` int unsigned not null auto_increment primary key, \`server_id\` int unsigned not null, \`key\` varchar(255) not null, \`username\` varchar(255) null, \`name\` varchar(255) null, \`email\` varchar(255) null, \`account_id\` int null) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`gerrit_accounts\` add unique \`gerrit_accounts_server_id_key_unique\`(\`server_id\`, \`key\`);`,
    );

    this.addSql(
      `create table \`gerrit_changes\` (\`id\` int unsigned not null auto_increment primary key, \`server_id\` int unsigned not null, \`number\` int not null, \`project_id\` int unsigned not null, \`branch\` varchar(255) not null, \`subject\` varchar(1024) null, \`owner_id\` int unsigned null, \`status\` varchar(16) null, \`status_at\` datetime null, \`created_at\` datetime null, \`updated_at\` datetime not null) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`gerrit_changes\` add index \`gerrit_changes_owner_id_index\`(\`owner_id\`);`,
    );
    this.addSql(
      `alter table \`gerrit_changes\` add index \`gerrit_changes_project_id_updated_at_index\`(\`project_id\`, \`updated_at\`);`,
    );
    this.addSql(
      `alter table \`gerrit_changes\` add unique \`gerrit_changes_server_id_number_unique\`(\`server_id\`, \`number\`);`,
    );

    this.addSql(
      `create table \`gerrit_patch_sets\` (\`id\` int unsigned not null auto_increment primary key, \`change_id\` int unsigned not null, \`project_id\` int unsigned not null, \`number\` int not null, \`revision\` varchar(64) null, \`created_at\` datetime not null, \`uploader_id\` int unsigned null, \`kind\` varchar(32) null, \`superseded_at\` datetime null, \`merged_at\` datetime null, \`abandoned_at\` datetime null) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`gerrit_patch_sets\` add index \`gerrit_patch_sets_uploader_id_index\`(\`uploader_id\`);`,
    );
    this.addSql(
      `alter table \`gerrit_patch_sets\` add index \`gerrit_patch_sets_project_id_created_at_index\`(\`project_id\`, \`created_at\`);`,
    );
    this.addSql(
      `alter table \`gerrit_patch_sets\` add index \`gerrit_patch_sets_created_at_index\`(\`created_at\`);`,
    );
    this.addSql(
      `alter table \`gerrit_patch_sets\` add unique \`gerrit_patch_sets_change_id_number_unique\`(\`change_id\`, \`number\`);`,
    );

    this.addSql(
      `create table \`gerrit_comments\` (\`id\` int unsigned not null auto_increment primary key, \`patch_set_id\` int unsigned not null, \`author_id\` int unsigned not null, \`created_at\` datetime not null, \`digest\` varchar(64) not null, \`kind\` varchar(16) not null, \`message\` mediumtext not null, \`source\` varchar(8) not null) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`gerrit_comments\` add index \`gerrit_comments_author_id_kind_created_at_index\`(\`author_id\`, \`kind\`, \`created_at\`);`,
    );
    this.addSql(
      `alter table \`gerrit_comments\` add unique \`gerrit_comments_patch_set_id_author_id_digest_created_at_unique\`(\`patch_set_id\`, \`author_id\`, \`digest\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`ci_systems\` (\`id\` int unsigned not null auto_increment primary key, \`account_id\` int unsigned not null, \`name\` varchar(255) not null, \`upstream\` tinyint(1) not null default false, \`first_report_at\` datetime null, \`last_report_at\` datetime null) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`ci_systems\` add unique \`ci_systems_account_id_unique\`(\`account_id\`);`,
    );

    this.addSql(
      `create table \`ci_reports\` (\`id\` int unsigned not null auto_increment primary key, \`comment_id\` int unsigned not null, \`patch_set_id\` int unsigned not null, \`project_id\` int unsigned not null, \`ci_id\` int unsigned not null, \`pipeline\` varchar(255) null, \`verdict\` varchar(24) null, \`vote\` int null, \`created_at\` datetime not null) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`ci_reports\` add unique \`ci_reports_comment_id_unique\`(\`comment_id\`);`,
    );
    this.addSql(
      `alter table \`ci_reports\` add index \`ci_reports_ci_id_created_at_index\`(\`ci_id\`, \`created_at\`);`,
    );
    this.addSql(
      `alter table \`ci_reports\` add index \`ci_reports_patch_set_id_ci_id_index\`(\`patch_set_id\`, \`ci_id\`);`,
    );
    this.addSql(
      `alter table \`ci_reports\` add index \`ci_reports_project_id_created_at_index\`(\`project_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`gerrit_state_changes\` (\`id\` int unsigned not null auto_increment primary key, \`change_id\` int unsigned not null, \`patch_set_id\` int unsigned not null, \`type\` varchar(32) not null, \`created_at\` datetime not null) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`gerrit_state_changes\` add index \`gerrit_state_changes_patch_set_id_index\`(\`patch_set_id\`);`,
    );
    this.addSql(
      `alter table \`gerrit_state_changes\` add unique \`gerrit_state_changes_change_id_type_created_at_unique\`(\`change_id\`, \`type\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`ci_builds\` (\`id\` int unsigned not null auto_increment primary key, \`report_id\` int unsigned not null, \`job\` varchar(255) not null, \`log_url\` varchar(2048) null, \`log_key\` varchar(64) null, \`result\` varchar(32) not null, \`detail\` varchar(512) null, \`duration\` int null, \`voting\` tinyint(1) not null, \`run_id\` int unsigned null) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`ci_builds\` add index \`ci_builds_report_id_index\`(\`report_id\`);`,
    );
    this.addSql(`alter table \`ci_builds\` add index \`ci_builds_log_key_index\`(\`log_key\`);`);
    this.addSql(`alter table \`ci_builds\` add index \`ci_builds_run_id_index\`(\`run_id\`);`);
    this.addSql(
      `alter table \`ci_builds\` add index \`ci_builds_job_report_id_index\`(\`job\`, \`report_id\`);`,
    );

    this.addSql(
      `create table \`run_log_keys\` (\`run_id\` int unsigned not null, \`log_key\` varchar(64) not null, primary key (\`run_id\`)) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`run_log_keys\` add index \`run_log_keys_log_key_index\`(\`log_key\`);`,
    );

    this.addSql(
      `alter table \`gerrit_projects\` add constraint \`gerrit_projects_server_id_foreign\` foreign key (\`server_id\`) references \`gerrit_servers\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`gerrit_accounts\` add constraint \`gerrit_accounts_server_id_foreign\` foreign key (\`server_id\`) references \`gerrit_servers\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`gerrit_changes\` add constraint \`gerrit_changes_server_id_foreign\` foreign key (\`server_id\`) references \`gerrit_servers\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`gerrit_changes\` add constraint \`gerrit_changes_project_id_foreign\` foreign key (\`project_id\`) references \`gerrit_projects\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`gerrit_changes\` add constraint \`gerrit_changes_owner_id_foreign\` foreign key (\`owner_id\`) references \`gerrit_accounts\` (\`id\`) on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table \`gerrit_patch_sets\` add constraint \`gerrit_patch_sets_change_id_foreign\` foreign key (\`change_id\`) references \`gerrit_changes\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`gerrit_patch_sets\` add constraint \`gerrit_patch_sets_project_id_foreign\` foreign key (\`project_id\`) references \`gerrit_projects\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`gerrit_patch_sets\` add constraint \`gerrit_patch_sets_uploader_id_foreign\` foreign key (\`uploader_id\`) references \`gerrit_accounts\` (\`id\`) on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table \`gerrit_comments\` add constraint \`gerrit_comments_patch_set_id_foreign\` foreign key (\`patch_set_id\`) references \`gerrit_patch_sets\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`gerrit_comments\` add constraint \`gerrit_comments_author_id_foreign\` foreign key (\`author_id\`) references \`gerrit_accounts\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`ci_systems\` add constraint \`ci_systems_account_id_foreign\` foreign key (\`account_id\`) references \`gerrit_accounts\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`ci_reports\` add constraint \`ci_reports_comment_id_foreign\` foreign key (\`comment_id\`) references \`gerrit_comments\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`ci_reports\` add constraint \`ci_reports_patch_set_id_foreign\` foreign key (\`patch_set_id\`) references \`gerrit_patch_sets\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`ci_reports\` add constraint \`ci_reports_project_id_foreign\` foreign key (\`project_id\`) references \`gerrit_projects\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`ci_reports\` add constraint \`ci_reports_ci_id_foreign\` foreign key (\`ci_id\`) references \`ci_systems\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`gerrit_state_changes\` add constraint \`gerrit_state_changes_change_id_foreign\` foreign key (\`change_id\`) references \`gerrit_changes\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`gerrit_state_changes\` add constraint \`gerrit_state_changes_patch_set_id_foreign\` foreign key (\`patch_set_id\`) references \`gerrit_patch_sets\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`ci_builds\` add constraint \`ci_builds_report_id_foreign\` foreign key (\`report_id\`) references \`ci_reports\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`ci_builds\` add constraint \`ci_builds_run_id_foreign\` foreign key (\`run_id\`) references \`runs\` (\`id\`) on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table \`run_log_keys\` add constraint \`run_log_keys_run_id_foreign\` foreign key (\`run_id\`) references \`runs\` (\`id\`) on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('set foreign_key_checks = 0;');
    for (const table of TABLES) this.addSql(`drop table if exists \`${table}\`;`);
    this.addSql('set foreign_key_checks = 1;');
  }
}
