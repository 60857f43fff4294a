import { Migration } from '@mikro-orm/migrations';

/**
 * Each patch set's commit message (shown on the CI matrix's column headers); an index that lets
 * "who has CI" read every project's reports over a window from the index alone.
 */
export class Migration20261203133723_patch_set_commit_message extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`gerrit_patch_sets\` add column \`commit_message\` mediumtext null;`);
    this.addSql(
      `create index \`ci_reports_created_at_project_id_ci_id_index\` on \`ci_reports\` (\`created_at\`, \`project_id\`, \`ci_id\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index \`ci_reports_created_at_project_id_ci_id_index\`;`);
    this.addSql(`alter table \`gerrit_patch_sets\` drop column \`commit_message\`;`);
  }
}
