import { Migration } from '@mikro-orm/migrations';

/**
 * The scrape queue: one row per task (a job's log directory to fetch and store as a run),
 * claimed by the instances under a lease (server/scrape/tasks.ts).
 */
export class Migration20261203132407_scrape_tasks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`scrape_tasks\` (\`id\` integer not null primary key autoincrement, \`uuid\` text not null, \`url\` text not null, \`url_key\` text not null, \`job\` text null, \`input\` text not null, \`change\` integer null, \`patchset\` integer null, \`pipeline\` text null, \`project\` text null, \`ci\` text null, \`build_id\` integer null, \`state\` text not null, \`stage\` text null, \`bytes_fetched\` bigint not null, \`attempts\` integer not null, \`error\` text null, \`not_before\` datetime not null, \`holder\` text null, \`lease_until\` datetime null, \`run_id\` integer null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`scrape_tasks_build_id_foreign\` foreign key(\`build_id\`) references \`ci_builds\`(\`id\`) on delete set null on update cascade, constraint \`scrape_tasks_run_id_foreign\` foreign key(\`run_id\`) references \`runs\`(\`id\`) on delete set null on update cascade);`,
    );
    this.addSql(`create unique index \`scrape_tasks_uuid_unique\` on \`scrape_tasks\` (\`uuid\`);`);
    this.addSql(`create index \`scrape_tasks_url_key_index\` on \`scrape_tasks\` (\`url_key\`);`);
    this.addSql(`create index \`scrape_tasks_build_id_index\` on \`scrape_tasks\` (\`build_id\`);`);
    this.addSql(`create index \`scrape_tasks_run_id_index\` on \`scrape_tasks\` (\`run_id\`);`);
    this.addSql(
      `create index \`scrape_tasks_state_not_before_index\` on \`scrape_tasks\` (\`state\`, \`not_before\`);`,
    );
    this.addSql(
      `create index \`scrape_tasks_state_lease_until_index\` on \`scrape_tasks\` (\`state\`, \`lease_until\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `scrape_tasks`;');
  }
}
