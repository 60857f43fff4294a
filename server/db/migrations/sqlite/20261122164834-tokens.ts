import { Migration } from '@mikro-orm/migrations';

export class Migration20261122164834_tokens extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`tokens\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`hash\` text not null, \`created_at\` datetime not null, \`last_used_at\` datetime null, \`revoked_at\` datetime null);`,
    );
    this.addSql(`create unique index \`tokens_name_unique\` on \`tokens\` (\`name\`);`);
    this.addSql(`create unique index \`tokens_hash_unique\` on \`tokens\` (\`hash\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`tokens\`;`);
  }
}
