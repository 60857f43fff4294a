import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the CI health queries (bench `ci`): whether a CI reported on a patch set before
 * an instant is answered from one index entry (the coverage count asks it per eligible patch
 * set); the CIs reporting on each project in a window are read from a range of one covering
 * index instead of a scan of every report; comments of one kind in a window from a range.
 */
export class Migration20261203140000_ci_health_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table \`ci_reports\` add index \`ci_reports_patch_set_id_ci_id_created_at_index\`(\`patch_set_id\`, \`ci_id\`, \`created_at\`);`,
    );
    this.addSql(`alter table \`ci_reports\` drop index \`ci_reports_patch_set_id_ci_id_index\`;`);
    this.addSql(
      `alter table \`ci_reports\` add index \`ci_reports_created_at_ci_id_project_id_index\`(\`created_at\`, \`ci_id\`, \`project_id\`);`,
    );
    this.addSql(
      `alter table \`gerrit_comments\` add index \`gerrit_comments_kind_created_at_author_id_index\`(\`kind\`, \`created_at\`, \`author_id\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table \`gerrit_comments\` drop index \`gerrit_comments_kind_created_at_author_id_index\`;`,
    );
    this.addSql(
      `alter table \`ci_reports\` drop index \`ci_reports_created_at_ci_id_project_id_index\`;`,
    );
    this.addSql(
      `alter table \`ci_reports\` add index \`ci_reports_patch_set_id_ci_id_index\`(\`patch_set_id\`, \`ci_id\`);`,
    );
    this.addSql(
      `alter table \`ci_reports\` drop index \`ci_reports_patch_set_id_ci_id_created_at_index\`;`,
    );
  }
}
