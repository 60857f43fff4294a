import { Migration } from '@mikro-orm/migrations';

/** The insights outbox (server/insights/events.ts): transitions for subscribers and webhooks. */
export class Migration20261204205500_insight_events extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `insight_events` (`id` bigint unsigned not null auto_increment primary key, `kind` varchar(32) not null, `payload` text not null, `created_at` datetime not null) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;',
    );
    this.addSql(
      'alter table `insight_events` add index `insight_events_created_at_index`(`created_at`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `insight_events`;');
  }
}
