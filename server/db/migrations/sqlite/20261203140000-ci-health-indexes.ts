import { Migration } from '@mikro-orm/migrations';

/**
 * The unparsed comments of every CI in a window (the CI figures) read from a range of an
 * index (bench `ci`: SQLite read every comment, messages and all — 1.9 s for 7 days of the
 * full bench data, now 1 ms). The ci_reports indexes the CI health queries need came with
 * `patch-set-commit-message`.
 */
export class Migration20261203140000_ci_health_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create index `gerrit_comments_kind_created_at_author_id_index` on `gerrit_comments` (`kind`, `created_at`, `author_id`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index `gerrit_comments_kind_created_at_author_id_index`;');
  }
}
