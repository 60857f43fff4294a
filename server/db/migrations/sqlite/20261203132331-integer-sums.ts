import { Migration } from '@mikro-orm/migrations';

/** A result's duration in whole microseconds, as ingest counts it. */
const US = 'round(coalesce(r.`duration`, 0) * 1000000)';
/** The UTC day of a run: SQLite keeps `run_at` as epoch ms and `day` as 'YYYY-MM-DD' text. */
const DAY = "date(u.`run_at` / 1000, 'unixepoch')";

/**
 * Durations summed as integer microseconds (`success_us`, `wall_us`) instead of floating-point
 * seconds, so that taking a run out restores every sum bit for bit. The sums are recomputed from
 * the stored results (not converted: the old sums carry the residue), and rows a deleted run
 * left at zero go.
 */
export class Migration20261203132331_integer_sums extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `tests` add column `success_us` bigint not null default 0;');
    this.addSql(
      `update \`tests\` set \`success_us\` = s.total from (select r.\`test_id\`, sum(${US}) as total from \`test_results\` r where r.\`status\` = 'success' group by r.\`test_id\`) s where s.\`test_id\` = \`tests\`.\`id\`;`,
    );
    this.addSql('alter table `tests` drop column `success_time`;');

    this.addSql('drop index `test_daily_job_covering_index`;');
    this.addSql('alter table `test_daily` add column `success_us` bigint not null default 0;');
    this.addSql(
      `update \`test_daily\` set \`success_us\` = s.total from (select r.\`test_id\`, coalesce(u.\`build_name\`, '') as build_name, ${DAY} as day, sum(${US}) as total from \`test_results\` r join \`runs\` u on u.\`id\` = r.\`run_id\` where r.\`status\` = 'success' group by 1, 2, 3) s where s.\`test_id\` = \`test_daily\`.\`test_id\` and s.build_name = \`test_daily\`.\`build_name\` and s.day = \`test_daily\`.\`day\`;`,
    );
    this.addSql('alter table `test_daily` drop column `success_time`;');
    this.addSql(
      'create index `test_daily_job_covering_index` on `test_daily` (`build_name`, `test_id`, `day`, `runs`, `successes`, `failures`, `skips`, `success_us`);',
    );

    this.addSql('alter table `job_daily` add column `wall_us` bigint not null default 0;');
    this.addSql(
      `update \`job_daily\` set \`wall_us\` = s.total from (select u.\`build_name\`, ${DAY} as day, sum(round(coalesce(u.\`wall_time\`, 0) * 1000000)) as total from \`runs\` u where u.\`build_name\` is not null group by 1, 2) s where s.\`build_name\` = \`job_daily\`.\`build_name\` and s.day = \`job_daily\`.\`day\`;`,
    );
    this.addSql('alter table `job_daily` drop column `wall_time`;');

    this.addSql('delete from `test_daily` where `runs` = 0;');
    this.addSql('delete from `job_daily` where `runs` = 0;');
    this.addSql(
      'delete from `tests` where `runs` = 0 and not exists (select 1 from `test_results` r where r.`test_id` = `tests`.`id`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index `test_daily_job_covering_index`;');
    for (const [table, from, to] of [
      ['tests', 'success_us', 'success_time'],
      ['test_daily', 'success_us', 'success_time'],
      ['job_daily', 'wall_us', 'wall_time'],
    ]) {
      this.addSql(`alter table \`${table}\` add column \`${to}\` double not null default 0;`);
      this.addSql(`update \`${table}\` set \`${to}\` = \`${from}\` / 1000000.0;`);
      this.addSql(`alter table \`${table}\` drop column \`${from}\`;`);
    }
    this.addSql(
      'create index `test_daily_job_covering_index` on `test_daily` (`build_name`, `test_id`, `day`, `runs`, `successes`, `failures`, `skips`, `success_time`);',
    );
  }
}
