import { Migration } from '@mikro-orm/migrations';

/** The insights outbox (server/insights/events.ts): transitions for subscribers and webhooks. */
export class Migration20261204205500_insight_events extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `insight_events` (`id` integer not null primary key autoincrement, `kind` text not null, `payload` text not null, `created_at` datetime not null);',
    );
    this.addSql(
      'create index `insight_events_created_at_index` on `insight_events` (`created_at`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `insight_events`;');
  }
}
