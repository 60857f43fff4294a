import { Migration } from '@mikro-orm/migrations';

/** Indexes for the job and failed-test analytics of the API. */
export class Migration20261122174000_analytics_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`test_daily\` drop index \`test_daily_build_name_day_index\`;`);
    this.addSql(
      `alter table \`test_daily\` add index \`test_daily_job_covering_index\`(\`build_name\`, \`test_id\`, \`day\`, \`runs\`, \`successes\`, \`failures\`, \`skips\`, \`success_time\`);`,
    );
    this.addSql(
      `alter table \`test_results\` add index \`test_results_run_id_status_index\`(\`run_id\`, \`status\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`test_results\` drop index \`test_results_run_id_status_index\`;`);
    this.addSql(`alter table \`test_daily\` drop index \`test_daily_job_covering_index\`;`);
    this.addSql(
      `alter table \`test_daily\` add index \`test_daily_build_name_day_index\`(\`build_name\`, \`day\`);`,
    );
  }
}
