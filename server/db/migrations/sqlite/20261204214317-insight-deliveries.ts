import { Migration } from '@mikro-orm/migrations';

/**
 * The deliveries of the insights outbox: one row per event and target (the subscription, or a
 * webhook URL), claimed by the instances under a lease (server/webhooks/deliveries.ts).
 */
export class Migration20261204214317_insight_deliveries extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `insight_deliveries` (`id` integer not null primary key autoincrement, `event_id` integer not null, `uuid` text not null, `url` text null, `url_key` text not null, `state` text not null, `attempts` integer not null, `status` integer null, `error` text null, `not_before` datetime not null, `holder` text null, `lease_until` datetime null, `created_at` datetime not null, `updated_at` datetime not null, constraint `insight_deliveries_event_id_foreign` foreign key(`event_id`) references `insight_events`(`id`) on delete cascade on update cascade);',
    );
    this.addSql(
      'create unique index `insight_deliveries_uuid_unique` on `insight_deliveries` (`uuid`);',
    );
    this.addSql(
      'create index `insight_deliveries_event_id_index` on `insight_deliveries` (`event_id`);',
    );
    this.addSql(
      'create unique index `insight_deliveries_event_id_url_key_unique` on `insight_deliveries` (`event_id`, `url_key`);',
    );
    this.addSql(
      'create index `insight_deliveries_state_not_before_index` on `insight_deliveries` (`state`, `not_before`);',
    );
    this.addSql(
      'create index `insight_deliveries_state_lease_until_index` on `insight_deliveries` (`state`, `lease_until`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `insight_deliveries`;');
  }
}
