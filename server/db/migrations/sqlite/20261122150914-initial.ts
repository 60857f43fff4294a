import { Migration } from '@mikro-orm/migrations';

export class Migration20261122150914_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`job_daily\` (\`build_name\` text not null, \`day\` date not null, \`runs\` integer not null, \`passed_runs\` integer not null, \`failed_runs\` integer not null, \`skipped_runs\` integer not null, \`wall_time\` double not null, primary key (\`build_name\`, \`day\`));`,
    );

    this.addSql(
      `create table \`runs\` (\`id\` integer not null primary key autoincrement, \`uuid\` text not null, \`run_at\` datetime not null, \`ingested_at\` datetime not null, \`build_name\` text null, \`format\` text not null, \`tests\` integer not null, \`passes\` integer not null, \`failures\` integer not null, \`skips\` integer not null, \`xfails\` integer not null, \`uxsuccesses\` integer not null, \`incomplete\` integer not null, \`parse_errors\` integer not null, \`workers\` integer not null, \`wall_time\` double null, \`summed_time\` double not null, \`start_us\` bigint null, \`stop_us\` bigint null, \`artifacts_url\` text null, \`digest\` text null);`,
    );
    this.addSql(`create unique index \`runs_uuid_unique\` on \`runs\` (\`uuid\`);`);
    this.addSql(`create index \`runs_run_at_index\` on \`runs\` (\`run_at\`);`);
    this.addSql(`create index \`runs_build_name_index\` on \`runs\` (\`build_name\`);`);
    this.addSql(`create unique index \`runs_digest_unique\` on \`runs\` (\`digest\`);`);

    this.addSql(
      `create table \`dstats\` (\`id\` integer not null primary key autoincrement, \`run_id\` integer not null, \`producer\` text null, \`host\` text null, \`cmdline\` text null, \`samples\` integer not null, \`start_ms\` bigint null, \`stop_ms\` bigint null, \`times\` json not null, constraint \`dstats_run_id_foreign\` foreign key(\`run_id\`) references \`runs\`(\`id\`) on delete cascade on update cascade);`,
    );
    this.addSql(`create index \`dstats_run_id_index\` on \`dstats\` (\`run_id\`);`);
    this.addSql(`create unique index \`dstats_run_id_unique\` on \`dstats\` (\`run_id\`);`);

    this.addSql(
      `create table \`dstat_series\` (\`id\` integer not null primary key autoincrement, \`dstat_id\` integer not null, \`key\` text not null, \`values\` json not null, constraint \`dstat_series_dstat_id_foreign\` foreign key(\`dstat_id\`) references \`dstats\`(\`id\`) on delete cascade on update cascade);`,
    );
    this.addSql(`create index \`dstat_series_dstat_id_index\` on \`dstat_series\` (\`dstat_id\`);`);
    this.addSql(
      `create unique index \`dstat_series_dstat_id_key_unique\` on \`dstat_series\` (\`dstat_id\`, \`key\`);`,
    );

    this.addSql(
      `create table \`attachments\` (\`id\` integer not null primary key autoincrement, \`run_id\` integer not null, \`result_seq\` integer null, \`name\` text not null, \`mime\` text not null, \`size\` integer not null, \`content\` longblob not null, constraint \`attachments_run_id_foreign\` foreign key(\`run_id\`) references \`runs\`(\`id\`) on delete cascade on update cascade);`,
    );
    this.addSql(`create index \`attachments_run_id_index\` on \`attachments\` (\`run_id\`);`);
    this.addSql(
      `create index \`attachments_run_id_result_seq_index\` on \`attachments\` (\`run_id\`, \`result_seq\`);`,
    );

    this.addSql(
      `create table \`artifacts\` (\`id\` integer not null primary key autoincrement, \`run_id\` integer not null, \`kind\` text not null, \`name\` text not null, \`content_type\` text not null, \`encoding\` text not null, \`size\` bigint not null, \`sha256\` text not null, \`stored_size\` bigint not null, constraint \`artifacts_run_id_foreign\` foreign key(\`run_id\`) references \`runs\`(\`id\`) on delete cascade on update cascade);`,
    );
    this.addSql(`create index \`artifacts_run_id_index\` on \`artifacts\` (\`run_id\`);`);

    this.addSql(
      `create table \`artifact_chunks\` (\`id\` integer not null primary key autoincrement, \`artifact_id\` integer not null, \`seq\` integer not null, \`data\` longblob not null, constraint \`artifact_chunks_artifact_id_foreign\` foreign key(\`artifact_id\`) references \`artifacts\`(\`id\`) on delete cascade on update cascade);`,
    );
    this.addSql(
      `create index \`artifact_chunks_artifact_id_index\` on \`artifact_chunks\` (\`artifact_id\`);`,
    );
    this.addSql(
      `create unique index \`artifact_chunks_artifact_id_seq_unique\` on \`artifact_chunks\` (\`artifact_id\`, \`seq\`);`,
    );

    this.addSql(
      `create table \`run_metadata\` (\`id\` integer not null primary key autoincrement, \`run_id\` integer not null, \`key\` text not null, \`value\` text not null, constraint \`run_metadata_run_id_foreign\` foreign key(\`run_id\`) references \`runs\`(\`id\`) on delete cascade on update cascade);`,
    );
    this.addSql(`create index \`run_metadata_run_id_index\` on \`run_metadata\` (\`run_id\`);`);
    this.addSql(
      `create index \`run_metadata_key_value_index\` on \`run_metadata\` (\`key\`, \`value\`);`,
    );
    this.addSql(
      `create unique index \`run_metadata_run_id_key_unique\` on \`run_metadata\` (\`run_id\`, \`key\`);`,
    );

    this.addSql(
      `create table \`tests\` (\`id\` integer not null primary key autoincrement, \`test_id\` text not null, \`hash\` text not null, \`runs\` integer not null default 0, \`successes\` integer not null default 0, \`failures\` integer not null default 0, \`skips\` integer not null default 0, \`success_time\` double not null default 0);`,
    );
    this.addSql(`create unique index \`tests_hash_unique\` on \`tests\` (\`hash\`);`);

    this.addSql(
      `create table \`test_daily\` (\`test_id\` integer not null, \`build_name\` text not null, \`day\` date not null, \`runs\` integer not null, \`successes\` integer not null, \`failures\` integer not null, \`skips\` integer not null, \`success_time\` double not null, primary key (\`test_id\`, \`build_name\`, \`day\`));`,
    );
    this.addSql(`create index \`test_daily_test_id_index\` on \`test_daily\` (\`test_id\`);`);
    this.addSql(
      `create index \`test_daily_build_name_day_index\` on \`test_daily\` (\`build_name\`, \`day\`);`,
    );

    this.addSql(
      `create table \`test_results\` (\`id\` integer not null primary key autoincrement, \`run_id\` integer not null, \`test_id\` integer not null, \`seq\` integer not null, \`status\` text not null, \`start_us\` bigint null, \`stop_us\` bigint null, \`duration\` double null, \`worker\` integer null, \`route_code\` text null, \`tags\` text not null, \`attrs\` text not null, constraint \`test_results_run_id_foreign\` foreign key(\`run_id\`) references \`runs\`(\`id\`) on delete cascade on update cascade);`,
    );
    this.addSql(`create index \`test_results_run_id_index\` on \`test_results\` (\`run_id\`);`);
    this.addSql(`create index \`test_results_test_id_index\` on \`test_results\` (\`test_id\`);`);
    this.addSql(
      `create index \`test_results_test_id_run_id_index\` on \`test_results\` (\`test_id\`, \`run_id\`);`,
    );
    this.addSql(
      `create unique index \`test_results_run_id_seq_unique\` on \`test_results\` (\`run_id\`, \`seq\`);`,
    );
  }
}
