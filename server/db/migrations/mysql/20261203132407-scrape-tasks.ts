import { Migration } from '@mikro-orm/migrations';

/**
 * The scrape queue: one row per task (a job's log directory to fetch and store as a run),
 * claimed by the instances under a lease (server/scrape/tasks.ts).
 */
export class Migration20261203132407_scrape_tasks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`scrape_tasks\` (\`id\` int unsigned not null auto_increment primary key, \`uuid\` varchar(36) not null, \`url\` varchar(2048) not null, \`url_key\` varchar(64) not null, \`job\` varchar(255) null, \`input\` varchar(2048) not null, \`change\` int null, \`patchset\` int null, \`pipeline\` varchar(255) null, \`project\` varchar(255) null, \`ci\` varchar(255) null, \`build_id\` int unsigned null, \`state\` varchar(16) not null, \`stage\` varchar(16) null, \`bytes_fetched\` bigint not null, \`attempts\` int not null, \`error\` varchar(1024) null, \`not_before\` datetime not null, \`holder\` varchar(255) null, \`lease_until\` datetime null, \`run_id\` int unsigned null, \`created_at\` datetime not null, \`updated_at\` datetime not null) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;`,
    );
    this.addSql(`alter table \`scrape_tasks\` add unique \`scrape_tasks_uuid_unique\`(\`uuid\`);`);
    this.addSql(
      `alter table \`scrape_tasks\` add index \`scrape_tasks_url_key_index\`(\`url_key\`);`,
    );
    this.addSql(
      `alter table \`scrape_tasks\` add index \`scrape_tasks_build_id_index\`(\`build_id\`);`,
    );
    this.addSql(
      `alter table \`scrape_tasks\` add index \`scrape_tasks_run_id_index\`(\`run_id\`);`,
    );
    this.addSql(
      `alter table \`scrape_tasks\` add index \`scrape_tasks_state_not_before_index\`(\`state\`, \`not_before\`);`,
    );
    this.addSql(
      `alter table \`scrape_tasks\` add index \`scrape_tasks_state_lease_until_index\`(\`state\`, \`lease_until\`);`,
    );
    this.addSql(
      `alter table \`scrape_tasks\` add constraint \`scrape_tasks_build_id_foreign\` foreign key (\`build_id\`) references \`ci_builds\` (\`id\`) on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table \`scrape_tasks\` add constraint \`scrape_tasks_run_id_foreign\` foreign key (\`run_id\`) references \`runs\` (\`id\`) on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `scrape_tasks`;');
  }
}
