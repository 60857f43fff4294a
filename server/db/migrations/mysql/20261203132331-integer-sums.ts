import { Migration } from '@mikro-orm/migrations';

/** A result's duration in whole microseconds, as ingest counts it. */
const US = 'round(coalesce(r.`duration`, 0) * 1000000)';

/**
 * Durations summed as integer microseconds (`success_us`, `wall_us`) instead of floating-point
 * seconds, so that taking a run out restores every sum bit for bit. The sums are recomputed from
 * the stored results (not converted: the old sums carry the residue), and rows a deleted run
 * left at zero go.
 */
export class Migration20261203132331_integer_sums extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `tests` add `success_us` bigint not null default 0;');
    this.addSql(
      `update \`tests\` t join (select r.\`test_id\`, sum(${US}) as total from \`test_results\` r where r.\`status\` = 'success' group by r.\`test_id\`) s on s.\`test_id\` = t.\`id\` set t.\`success_us\` = s.total;`,
    );
    this.addSql('alter table `tests` drop column `success_time`;');

    this.addSql('alter table `test_daily` drop index `test_daily_job_covering_index`;');
    this.addSql('alter table `test_daily` add `success_us` bigint not null default 0;');
    this.addSql(
      `update \`test_daily\` d join (select r.\`test_id\`, coalesce(u.\`build_name\`, '') as build_name, date(u.\`run_at\`) as day, sum(${US}) as total from \`test_results\` r join \`runs\` u on u.\`id\` = r.\`run_id\` where r.\`status\` = 'success' group by 1, 2, 3) s on s.\`test_id\` = d.\`test_id\` and s.build_name = d.\`build_name\` and s.day = d.\`day\` set d.\`success_us\` = s.total;`,
    );
    this.addSql('alter table `test_daily` drop column `success_time`;');
    this.addSql(
      'alter table `test_daily` add index `test_daily_job_covering_index`(`build_name`, `test_id`, `day`, `runs`, `successes`, `failures`, `skips`, `success_us`);',
    );

    this.addSql('alter table `job_daily` add `wall_us` bigint not null default 0;');
    this.addSql(
      'update `job_daily` d join (select u.`build_name`, date(u.`run_at`) as day, sum(round(coalesce(u.`wall_time`, 0) * 1000000)) as total from `runs` u where u.`build_name` is not null group by 1, 2) s on s.`build_name` = d.`build_name` and s.day = d.`day` set d.`wall_us` = s.total;',
    );
    this.addSql('alter table `job_daily` drop column `wall_time`;');

    this.addSql('delete from `test_daily` where `runs` = 0;');
    this.addSql('delete from `job_daily` where `runs` = 0;');
    this.addSql(
      'delete t from `tests` t where t.`runs` = 0 and not exists (select 1 from `test_results` r where r.`test_id` = t.`id`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql('alter table `test_daily` drop index `test_daily_job_covering_index`;');
    for (const [table, from, to] of [
      ['tests', 'success_us', 'success_time'],
      ['test_daily', 'success_us', 'success_time'],
      ['job_daily', 'wall_us', 'wall_time'],
    ]) {
      this.addSql(`alter table \`${table}\` add \`${to}\` double not null default 0;`);
      this.addSql(`update \`${table}\` set \`${to}\` = \`${from}\` / 1000000.0;`);
      this.addSql(`alter table \`${table}\` drop column \`${from}\`;`);
    }
    this.addSql(
      'alter table `test_daily` add index `test_daily_job_covering_index`(`build_name`, `test_id`, `day`, `runs`, `successes`, `failures`, `skips`, `success_time`);',
    );
  }
}
