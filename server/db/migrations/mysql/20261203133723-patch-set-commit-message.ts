import { Migration } from '@mikro-orm/migrations';

/**
 * Each patch set's commit message (shown on the CI matrix's column headers); indexes that let
 * "who has CI" read every project's reports over a window, and coverage tell whether a CI
 * reported on a patch set before a time, from the index alone.
 */
export class Migration20261203133723_patch_set_commit_message extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`gerrit_patch_sets\` add \`commit_message\` mediumtext null;`);
    this.addSql(
      `alter table \`ci_reports\` add index \`ci_reports_created_at_project_id_ci_id_index\`(\`created_at\`, \`project_id\`, \`ci_id\`);`,
    );
    // Replaces (patch_set_id, ci_id): coverage's `reported before the end` reads the index alone.
    this.addSql(
      `alter table \`ci_reports\` add index \`ci_reports_patch_set_id_ci_id_created_at_index\`(\`patch_set_id\`, \`ci_id\`, \`created_at\`);`,
    );
    this.addSql(`alter table \`ci_reports\` drop index \`ci_reports_patch_set_id_ci_id_index\`;`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table \`ci_reports\` add index \`ci_reports_patch_set_id_ci_id_index\`(\`patch_set_id\`, \`ci_id\`);`,
    );
    this.addSql(
      `alter table \`ci_reports\` drop index \`ci_reports_patch_set_id_ci_id_created_at_index\`;`,
    );
    this.addSql(
      `alter table \`ci_reports\` drop index \`ci_reports_created_at_project_id_ci_id_index\`;`,
    );
    this.addSql(`alter table \`gerrit_patch_sets\` drop column \`commit_message\`;`);
  }
}
