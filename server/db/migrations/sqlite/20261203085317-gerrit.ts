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
      `create table \`gerrit_leases\` (\`server\` text not null, \`holder\` text not null, \`expires_at\` datetime not null, primary key (\`server\`));`,
    );

    this.addSql(
      `create table \`gerrit_servers\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`url\` text not null, \`last_event_at\` datetime null);`,
    );
    this.addSql(
      `create unique index \`gerrit_servers_name_unique\` on \`gerrit_servers\` (\`name\`);`,
    );

    this.addSql(
      `create table \`gerrit_projects\` (\`id\` integer not null primary key autoincrement, \`server_id\` integer not null, \`name\` text not null, constraint \`gerrit_projects_server_id_foreign\` foreign key(\`server_id\`) references \`gerrit_servers\`(\`id\`) on delete cascade on update cascade);`,
    );
    this.addSql(
      `create unique index \`gerrit_projects_server_id_name_unique\` on \`gerrit_projects\` (\`server_id\`, \`name\`);`,
    );

    this.addSql(
      `create table \`gerrit_accounts\` (\`id\` integer not null primary key autoincrement, \`server_id\` integer not null, \`key\` text not null, \`username\` text null, \`name\` text null, \`email\` text null, \`account_id\` integer null, constraint \`gerrit_accounts_server_id_foreign\` foreign key(\`server_id\`) references \`gerrit_servers\`(\`id\`) on delete cascade on update cascade);`,
    );
    this.addSql(
      `create unique index \`gerrit_accounts_server_id_key_unique\` on \`gerrit_accounts\` (\`server_id\`, \`key\`);`,
    );

    this.addSql(
      `create table \`gerrit_changes\` (\`id\` integer not null primary key autoincrement, \`server_id\` integer not null, \`number\` integer not null, \`project_id\` integer not null, \`branch\` text not null, \`subject\` text null, \`owner_id\` integer null, \`status\` text null, \`status_at\` datetime null, \`created_at\` datetime null, \`updated_at\` datetime not null, constraint \`gerrit_changes_server_id_foreign\` foreign key(\`server_id\`) references \`gerrit_servers\`(\`id\`) on delete cascade on update cascade, constraint \`gerrit_changes_project_id_foreign\` foreign key(\`project_id\`) references \`gerrit_projects\`(\`id\`) on delete cascade on update cascade, constraint \`gerrit_changes_owner_id_foreign\` foreign key(\`owner_id\`) references \`gerrit_accounts\`(\`id\`) on delete set null on update cascade);`,
    );
    this.addSql(
      `create index \`gerrit_changes_owner_id_index\` on \`gerrit_changes\` (\`owner_id\`);`,
    );
    this.addSql(
      `create index \`gerrit_changes_project_id_updated_at_index\` on \`gerrit_changes\` (\`project_id\`, \`updated_at\`);`,
    );
    this.addSql(
      `create unique index \`gerrit_changes_server_id_number_unique\` on \`gerrit_changes\` (\`server_id\`, \`number\`);`,
    );

    this.addSql(
      `create table \`gerrit_patch_sets\` (\`id\` integer not null primary key autoincrement, \`change_id\` integer not null, \`project_id\` integer not null, \`number\` integer not null, \`revision\` text null, \`created_at\` datetime not null, \`uploader_id\` integer null, \`kind\` text null, \`superseded_at\` datetime null, \`merged_at\` datetime null, \`abandoned_at\` datetime null, constraint \`gerrit_patch_sets_change_id_foreign\` foreign key(\`change_id\`) references \`gerrit_changes\`(\`id\`) on delete cascade on update cascade, constraint \`gerrit_patch_sets_project_id_foreign\` foreign key(\`project_id\`) references \`gerrit_projects\`(\`id\`) on delete cascade on update cascade, constraint \`gerrit_patch_sets_uploader_id_foreign\` foreign key(\`uploader_id\`) references \`gerrit_accounts\`(\`id\`) on delete set null on update cascade);`,
    );
    this.addSql(
      `create index \`gerrit_patch_sets_uploader_id_index\` on \`gerrit_patch_sets\` (\`uploader_id\`);`,
    );
    this.addSql(
      `create index \`gerrit_patch_sets_project_id_created_at_index\` on \`gerrit_patch_sets\` (\`project_id\`, \`created_at\`);`,
    );
    this.addSql(
      `create index \`gerrit_patch_sets_created_at_index\` on \`gerrit_patch_sets\` (\`created_at\`);`,
    );
    this.addSql(
      `create unique index \`gerrit_patch_sets_change_id_number_unique\` on \`gerrit_patch_sets\` (\`change_id\`, \`number\`);`,
    );

    this.addSql(
      `create table \`gerrit_comments\` (\`id\` integer not null primary key autoincrement, \`patch_set_id\` integer not null, \`author_id\` integer not null, \`created_at\` datetime not null, \`digest\` text not null, \`kind\` text not null, \`message\` mediumtext not null, \`source\` text not null, constraint \`gerrit_comments_patch_set_id_foreign\` foreign key(\`patch_set_id\`) references \`gerrit_patch_sets\`(\`id\`) on delete cascade on update cascade, constraint \`gerrit_comments_author_id_foreign\` foreign key(\`author_id\`) references \`gerrit_accounts\`(\`id\`) on delete cascade on update cascade);`,
    );
    this.addSql(
      `create index \`gerrit_comments_author_id_kind_created_at_index\` on \`gerrit_comments\` (\`author_id\`, \`kind\`, \`created_at\`);`,
    );
    this.addSql(
      `create unique index \`gerrit_comments_patch_set_id_author_id_digest_created_at_unique\` on \`gerrit_comments\` (\`patch_set_id\`, \`author_id\`, \`digest\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`ci_systems\` (\`id\` integer not null primary key autoincrement, \`account_id\` integer not null, \`name\` text not null, \`upstream\` integer not null default false, \`first_report_at\` datetime null, \`last_report_at\` datetime null, constraint \`ci_systems_account_id_foreign\` foreign key(\`account_id\`) references \`gerrit_accounts\`(\`id\`) on delete cascade on update cascade);`,
    );
    this.addSql(
      `create unique index \`ci_systems_account_id_unique\` on \`ci_systems\` (\`account_id\`);`,
    );

    this.addSql(
      `create table \`ci_reports\` (\`id\` integer not null primary key autoincrement, \`comment_id\` integer not null, \`patch_set_id\` integer not null, \`project_id\` integer not null, \`ci_id\` integer not null, \`pipeline\` text null, \`verdict\` text null, \`vote\` integer null, \`created_at\` datetime not null, constraint \`ci_reports_comment_id_foreign\` foreign key(\`comment_id\`) references \`gerrit_comments\`(\`id\`) on delete cascade on update cascade, constraint \`ci_reports_patch_set_id_foreign\` foreign key(\`patch_set_id\`) references \`gerrit_patch_sets\`(\`id\`) on delete cascade on update cascade, constraint \`ci_reports_project_id_foreign\` foreign key(\`project_id\`) references \`gerrit_projects\`(\`id\`) on delete cascade on update cascade, constraint \`ci_reports_ci_id_foreign\` foreign key(\`ci_id\`) references \`ci_systems\`(\`id\`) on delete cascade on update cascade);`,
    );
    this.addSql(
      `create unique index \`ci_reports_comment_id_unique\` on \`ci_reports\` (\`comment_id\`);`,
    );
    this.addSql(
      `create index \`ci_reports_ci_id_created_at_index\` on \`ci_reports\` (\`ci_id\`, \`created_at\`);`,
    );
    this.addSql(
      `create index \`ci_reports_patch_set_id_ci_id_index\` on \`ci_reports\` (\`patch_set_id\`, \`ci_id\`);`,
    );
    this.addSql(
      `create index \`ci_reports_project_id_created_at_index\` on \`ci_reports\` (\`project_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`gerrit_state_changes\` (\`id\` integer not null primary key autoincrement, \`change_id\` integer not null, \`patch_set_id\` integer not null, \`type\` text not null, \`created_at\` datetime not null, constraint \`gerrit_state_changes_change_id_foreign\` foreign key(\`change_id\`) references \`gerrit_changes\`(\`id\`) on delete cascade on update cascade, constraint \`gerrit_state_changes_patch_set_id_foreign\` foreign key(\`patch_set_id\`) references \`gerrit_patch_sets\`(\`id\`) on delete cascade on update cascade);`,
    );
    this.addSql(
      `create index \`gerrit_state_changes_patch_set_id_index\` on \`gerrit_state_changes\` (\`patch_set_id\`);`,
    );
    this.addSql(
      `create unique index \`gerrit_state_changes_change_id_type_created_at_unique\` on \`gerrit_state_changes\` (\`change_id\`, \`type\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`ci_builds\` (\`id\` integer not null primary key autoincrement, \`report_id\` integer not null, \`job\` text not null, \`log_url\` text null, \`log_key\` text null, \`result\` text not null, \`detail\` text null, \`duration\` integer null, \`voting\` integer not null, \`run_id\` integer null, constraint \`ci_builds_report_id_foreign\` foreign key(\`report_id\`) references \`ci_reports\`(\`id\`) on delete cascade on update cascade, constraint \`ci_builds_run_id_foreign\` foreign key(\`run_id\`) references \`runs\`(\`id\`) on delete set null on update cascade);`,
    );
    this.addSql(`create index \`ci_builds_report_id_index\` on \`ci_builds\` (\`report_id\`);`);
    this.addSql(`create index \`ci_builds_log_key_index\` on \`ci_builds\` (\`log_key\`);`);
    this.addSql(`create index \`ci_builds_run_id_index\` on \`ci_builds\` (\`run_id\`);`);
    this.addSql(
      `create index \`ci_builds_job_report_id_index\` on \`ci_builds\` (\`job\`, \`report_id\`);`,
    );

    this.addSql(
      `create table \`run_log_keys\` (\`run_id\` integer not null, \`log_key\` text not null, constraint \`run_log_keys_run_id_foreign\` foreign key(\`run_id\`) references \`runs\`(\`id\`) on delete cascade on update cascade, primary key (\`run_id\`));`,
    );
    this.addSql(`create index \`run_log_keys_log_key_index\` on \`run_log_keys\` (\`log_key\`);`);
  }

  override async down(): Promise<void> {
    for (const table of TABLES) this.addSql(`drop table if exists \`${table}\`;`);
  }
}
