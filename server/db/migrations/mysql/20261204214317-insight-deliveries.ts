import { Migration } from '@mikro-orm/migrations';

/**
 * The deliveries of the insights outbox: one row per event and target (the subscription, or a
 * webhook URL), claimed by the instances under a lease (server/webhooks/deliveries.ts).
 */
export class Migration20261204214317_insight_deliveries extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `insight_deliveries` (`id` int unsigned not null auto_increment primary key, `event_id` bigint unsigned not null, `uuid` varchar(36) not null, `url` varchar(2048) null, `url_key` varchar(64) not null, `state` varchar(16) not null, `attempts` int not null, `status` int null, `error` varchar(1024) null, `not_before` datetime not null, `holder` varchar(255) null, `lease_until` datetime null, `created_at` datetime not null, `updated_at` datetime not null) default character set utf8mb4 collate utf8mb4_bin engine = InnoDB;',
    );
    this.addSql(
      'alter table `insight_deliveries` add unique `insight_deliveries_uuid_unique`(`uuid`);',
    );
    this.addSql(
      'alter table `insight_deliveries` add index `insight_deliveries_event_id_index`(`event_id`);',
    );
    this.addSql(
      'alter table `insight_deliveries` add unique `insight_deliveries_event_id_url_key_unique`(`event_id`, `url_key`);',
    );
    this.addSql(
      'alter table `insight_deliveries` add index `insight_deliveries_state_not_before_index`(`state`, `not_before`);',
    );
    this.addSql(
      'alter table `insight_deliveries` add index `insight_deliveries_state_lease_until_index`(`state`, `lease_until`);',
    );
    this.addSql(
      'alter table `insight_deliveries` add constraint `insight_deliveries_event_id_foreign` foreign key (`event_id`) references `insight_events` (`id`) on update cascade on delete cascade;',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `insight_deliveries`;');
  }
}
