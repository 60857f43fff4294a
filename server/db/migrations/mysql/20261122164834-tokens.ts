import { Migration } from '@mikro-orm/migrations';

export class Migration20261122164834_tokens extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`tokens\` (\`id\` int unsigned not null auto_increment primary key, \`name\` varchar(64) not null, \`hash\` varchar(64) not null, \`created_at\` datetime not null, \`last_used_at\` datetime null, \`revoked_at\` datetime null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`tokens\` add unique \`tokens_name_unique\`(\`name\`);`);
    this.addSql(`alter table \`tokens\` add unique \`tokens_hash_unique\`(\`hash\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`tokens\`;`);
  }
}
