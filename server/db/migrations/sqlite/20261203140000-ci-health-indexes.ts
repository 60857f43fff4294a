import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the CI health queries (bench `ci`): whether a CI reported on a patch set before
 * an instant is answered from one index entry (the coverage count asks it per eligible patch
 * set; without the time in the index SQLite walked all of the CI's reports instead), and the
 * CIs reporting on each project in a window are read from a range of one covering index; a
 * CI's unparsed comments in a window come from a range too (SQLite read every comment, messages
 * and all: 1.9 s for a 7-day window of the full bench data, now 1 ms).
 */
export class Migration20261203140000_ci_health_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index \`ci_reports_patch_set_id_ci_id_index\`;`);
    this.addSql(
      `create index \`ci_reports_patch_set_id_ci_id_created_at_index\` on \`ci_reports\` (\`patch_set_id\`, \`ci_id\`, \`created_at\`);`,
    );
    this.addSql(
      `create index \`ci_reports_created_at_ci_id_project_id_index\` on \`ci_reports\` (\`created_at\`, \`ci_id\`, \`project_id\`);`,
    );
    this.addSql(
      `create index \`gerrit_comments_kind_created_at_author_id_index\` on \`gerrit_comments\` (\`kind\`, \`created_at\`, \`author_id\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index \`gerrit_comments_kind_created_at_author_id_index\`;`);
    this.addSql(`drop index \`ci_reports_created_at_ci_id_project_id_index\`;`);
    this.addSql(`drop index \`ci_reports_patch_set_id_ci_id_created_at_index\`;`);
    this.addSql(
      `create index \`ci_reports_patch_set_id_ci_id_index\` on \`ci_reports\` (\`patch_set_id\`, \`ci_id\`);`,
    );
  }
}
