import { Migration } from '@mikro-orm/migrations';

export class Migration20261122150914_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`job_daily\` (\`build_name\` varchar(255) not null, \`day\` date not null, \`runs\` int not null, \`passed_runs\` int not null, \`failed_runs\` int not null, \`skipped_runs\` int not null, \`wall_time\` double not null, primary key (\`build_name\`, \`day\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table \`runs\` (\`id\` int unsigned not null auto_increment primary key, \`uuid\` varchar(36) not null, \`run_at\` datetime not null, \`ingested_at\` datetime not null, \`build_name\` varchar(255) null, \`format\` varchar(8) not null, \`tests\` int not null, \`passes\` int not null, \`failures\` int not null, \`skips\` int not null, \`xfails\` int not null, \`uxsuccesses\` int not null, \`incomplete\` int not null, \`parse_errors\` int not null, \`workers\` int not null, \`wall_time\` double null, \`summed_time\` double not null, \`start_us\` bigint null, \`stop_us\` bigint null, \`artifacts_url\` varchar(2048) null, \`digest\` varchar(64) null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`runs\` add unique \`runs_uuid_unique\`(\`uuid\`);`);
    this.addSql(`alter table \`runs\` add index \`runs_run_at_index\`(\`run_at\`);`);
    this.addSql(`alter table \`runs\` add index \`runs_build_name_index\`(\`build_name\`);`);
    this.addSql(`alter table \`runs\` add unique \`runs_digest_unique\`(\`digest\`);`);

    this.addSql(
      `create table \`dstats\` (\`id\` int unsigned not null auto_increment primary key, \`run_id\` int unsigned not null, \`producer\` varchar(255) null, \`host\` varchar(255) null, \`cmdline\` varchar(1024) null, \`samples\` int not null, \`start_ms\` bigint null, \`stop_ms\` bigint null, \`times\` json not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`dstats\` add index \`dstats_run_id_index\`(\`run_id\`);`);
    this.addSql(`alter table \`dstats\` add unique \`dstats_run_id_unique\`(\`run_id\`);`);

    this.addSql(
      `create table \`dstat_series\` (\`id\` int unsigned not null auto_increment primary key, \`dstat_id\` int unsigned not null, \`key\` varchar(191) not null, \`values\` json not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`dstat_series\` add index \`dstat_series_dstat_id_index\`(\`dstat_id\`);`,
    );
    this.addSql(
      `alter table \`dstat_series\` add unique \`dstat_series_dstat_id_key_unique\`(\`dstat_id\`, \`key\`);`,
    );

    this.addSql(
      `create table \`attachments\` (\`id\` bigint unsigned not null auto_increment primary key, \`run_id\` int unsigned not null, \`result_seq\` int null, \`name\` varchar(255) not null, \`mime\` varchar(255) not null, \`size\` int not null, \`content\` longblob not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`attachments\` add index \`attachments_run_id_index\`(\`run_id\`);`);
    this.addSql(
      `alter table \`attachments\` add index \`attachments_run_id_result_seq_index\`(\`run_id\`, \`result_seq\`);`,
    );

    this.addSql(
      `create table \`artifacts\` (\`id\` int unsigned not null auto_increment primary key, \`run_id\` int unsigned not null, \`kind\` varchar(16) not null, \`name\` varchar(1024) not null, \`content_type\` varchar(255) not null, \`encoding\` varchar(16) not null, \`size\` bigint not null, \`sha256\` varchar(64) not null, \`stored_size\` bigint not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`artifacts\` add index \`artifacts_run_id_index\`(\`run_id\`);`);

    this.addSql(
      `create table \`artifact_chunks\` (\`id\` int unsigned not null auto_increment primary key, \`artifact_id\` int unsigned not null, \`seq\` int not null, \`data\` longblob not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`artifact_chunks\` add index \`artifact_chunks_artifact_id_index\`(\`artifact_id\`);`,
    );
    this.addSql(
      `alter table \`artifact_chunks\` add unique \`artifact_chunks_artifact_id_seq_unique\`(\`artifact_id\`, \`seq\`);`,
    );

    this.addSql(
      `create table \`run_metadata\` (\`id\` int unsigned not null auto_increment primary key, \`run_id\` int unsigned not null, \`key\` varchar(191) not null, \`value\` varchar(512) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`run_metadata\` add index \`run_metadata_run_id_index\`(\`run_id\`);`,
    );
    this.addSql(
      `alter table \`run_metadata\` add index \`run_metadata_key_value_index\`(\`key\`, \`value\`);`,
    );
    this.addSql(
      `alter table \`run_metadata\` add unique \`run_metadata_run_id_key_unique\`(\`run_id\`, \`key\`);`,
    );

    this.addSql(
      `create table \`tests\` (\`id\` int unsigned not null auto_increment primary key, \`test_id\` varchar(2048) not null, \`hash\` varchar(64) not null, \`runs\` int not null default 0, \`successes\` int not null default 0, \`failures\` int not null default 0, \`skips\` int not null default 0, \`success_time\` double not null default 0) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`tests\` add unique \`tests_hash_unique\`(\`hash\`);`);

    this.addSql(
      `create table \`test_daily\` (\`test_id\` int unsigned not null, \`build_name\` varchar(255) not null, \`day\` date not null, \`runs\` int not null, \`successes\` int not null, \`failures\` int not null, \`skips\` int not null, \`success_time\` double not null, primary key (\`test_id\`, \`build_name\`, \`day\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`test_daily\` add index \`test_daily_test_id_index\`(\`test_id\`);`);
    this.addSql(
      `alter table \`test_daily\` add index \`test_daily_build_name_day_index\`(\`build_name\`, \`day\`);`,
    );

    this.addSql(
      `create table \`test_results\` (\`id\` bigint unsigned not null auto_increment primary key, \`run_id\` int unsigned not null, \`test_id\` int unsigned not null, \`seq\` int not null, \`status\` varchar(10) not null, \`start_us\` bigint null, \`stop_us\` bigint null, \`duration\` double null, \`worker\` int null, \`route_code\` varchar(255) null, \`tags\` text not null, \`attrs\` varchar(1024) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`test_results\` add index \`test_results_run_id_index\`(\`run_id\`);`,
    );
    this.addSql(
      `alter table \`test_results\` add index \`test_results_test_id_index\`(\`test_id\`);`,
    );
    this.addSql(
      `alter table \`test_results\` add index \`test_results_test_id_run_id_index\`(\`test_id\`, \`run_id\`);`,
    );
    this.addSql(
      `alter table \`test_results\` add unique \`test_results_run_id_seq_unique\`(\`run_id\`, \`seq\`);`,
    );

    this.addSql(
      `alter table \`dstats\` add constraint \`dstats_run_id_foreign\` foreign key (\`run_id\`) references \`runs\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`dstat_series\` add constraint \`dstat_series_dstat_id_foreign\` foreign key (\`dstat_id\`) references \`dstats\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`attachments\` add constraint \`attachments_run_id_foreign\` foreign key (\`run_id\`) references \`runs\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`artifacts\` add constraint \`artifacts_run_id_foreign\` foreign key (\`run_id\`) references \`runs\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`artifact_chunks\` add constraint \`artifact_chunks_artifact_id_foreign\` foreign key (\`artifact_id\`) references \`artifacts\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`run_metadata\` add constraint \`run_metadata_run_id_foreign\` foreign key (\`run_id\`) references \`runs\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`test_results\` add constraint \`test_results_run_id_foreign\` foreign key (\`run_id\`) references \`runs\` (\`id\`) on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`dstats\` drop foreign key \`dstats_run_id_foreign\`;`);

    this.addSql(`alter table \`attachments\` drop foreign key \`attachments_run_id_foreign\`;`);

    this.addSql(`alter table \`artifacts\` drop foreign key \`artifacts_run_id_foreign\`;`);

    this.addSql(`alter table \`run_metadata\` drop foreign key \`run_metadata_run_id_foreign\`;`);

    this.addSql(`alter table \`test_results\` drop foreign key \`test_results_run_id_foreign\`;`);

    this.addSql(`alter table \`dstat_series\` drop foreign key \`dstat_series_dstat_id_foreign\`;`);

    this.addSql(
      `alter table \`artifact_chunks\` drop foreign key \`artifact_chunks_artifact_id_foreign\`;`,
    );

    this.addSql(`drop table if exists \`job_daily\`;`);

    this.addSql(`drop table if exists \`runs\`;`);

    this.addSql(`drop table if exists \`dstats\`;`);

    this.addSql(`drop table if exists \`dstat_series\`;`);

    this.addSql(`drop table if exists \`attachments\`;`);

    this.addSql(`drop table if exists \`artifacts\`;`);

    this.addSql(`drop table if exists \`artifact_chunks\`;`);

    this.addSql(`drop table if exists \`run_metadata\`;`);

    this.addSql(`drop table if exists \`tests\`;`);

    this.addSql(`drop table if exists \`test_daily\`;`);

    this.addSql(`drop table if exists \`test_results\`;`);
  }
}
