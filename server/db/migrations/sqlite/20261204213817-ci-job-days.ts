import { Migration } from '@mikro-orm/migrations';

/** A build's outcome: 0 passed, 1 failed, null no result (skipped, not built, cancelled, aborted). */
const FAILED =
  "case when b.result = 'SUCCESS' then 0 when b.result in ('SKIPPED', 'NOT_BUILT', 'CANCELED', 'ABORTED') then null else 1 end";

/**
 * `ci_job_days`, a CI's builds, failures, results and flips per job and UTC day (bench `ci`: a
 * record's jobs over 90 days passed over 534,000 builds of the upstream CI), filled from the
 * stored reports by the definition of server/cis/job-days.ts: a flip is counted on the day of
 * the later patch set's newest build.
 */
export class Migration20261204213817_ci_job_days extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `ci_job_days` (`ci_id` integer not null, `day` date not null, `job` text not null, `builds` integer not null, `failures` integer not null, `results` integer not null, `flips` integer not null, constraint `ci_job_days_ci_id_foreign` foreign key(`ci_id`) references `ci_systems`(`id`) on delete cascade on update cascade, primary key (`ci_id`, `day`, `job`));',
    );
    this.addSql('create index `ci_job_days_ci_id_index` on `ci_job_days` (`ci_id`);');
    this.addSql(
      `insert into ci_job_days (ci_id, day, job, builds, failures, results, flips)
      select ci_id, date(created_at / 1000, 'unixepoch'), job, sum(builds), coalesce(sum(failed), 0), count(failed), sum(flips)
      from (
        select r.ci_id, r.created_at, b.job, 1 as builds, ${FAILED} as failed, 0 as flips
        from ci_reports r join ci_builds b on b.report_id = r.id
        union all
        select ci_id, created_at, job, 0, null, 1 from (
          select ci_id, job, created_at, failed,
            lag(failed) over (partition by ci_id, job, change_id order by number) as previous
          from (
            select r.ci_id, b.job, ps.change_id, ps.number, r.created_at, ${FAILED} as failed,
              row_number() over (partition by r.ci_id, b.job, r.patch_set_id order by r.created_at desc, b.id desc) as k
            from gerrit_patch_sets ps
              join ci_reports r on r.patch_set_id = ps.id
              join ci_builds b on b.report_id = r.id
          ) newest where k = 1 and failed is not null
        ) steps where previous <> failed
      ) events
      group by ci_id, date(created_at / 1000, 'unixepoch'), job`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `ci_job_days`;');
  }
}
