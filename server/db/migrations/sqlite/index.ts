import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122150914_initial } from './20261122150914-initial.js';

/** Applied in order; a new migration is written by `server/db/make-migration.ts`. */
export const sqliteMigrations: MigrationObject[] = [
  { name: '20261122150914-initial', class: Migration20261122150914_initial },
];
