import { Migration } from '@mikro-orm/migrations';

/** Indexes for the job and failed-test analytics of the API. */
export class Migration20261122174000_analytics_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index \`test_daily_build_name_day_index\`;`);
    this.addSql(
      `create index \`test_daily_job_covering_index\` on \`test_daily\` (\`build_name\`, \`test_id\`, \`day\`, \`runs\`, \`successes\`, \`failures\`, \`skips\`, \`success_time\`);`,
    );
    this.addSql(
      `create index \`test_results_run_id_status_index\` on \`test_results\` (\`run_id\`, \`status\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index \`test_results_run_id_status_index\`;`);
    this.addSql(`drop index \`test_daily_job_covering_index\`;`);
    this.addSql(
      `create index \`test_daily_build_name_day_index\` on \`test_daily\` (\`build_name\`, \`day\`);`,
    );
  }
}
