/** How an ingest error reads: whole when short, its middle cut when a database quotes a megabyte of SQL. */
import { describe, expect, it } from 'vitest';
import { messageOf } from '../../server/ingest/ingest.js';

describe('messageOf', () => {
  it('keeps a short message whole, and of a long one its head and its reason', () => {
    expect(messageOf(new Error('disk full'))).toBe('disk full');
    expect(messageOf('plain')).toBe('plain');
    const sql = `insert into t values ${'(1), '.repeat(100_000)}(1)`;
    const message = messageOf(new Error(`${sql} - too many terms in compound SELECT`));
    expect(message.length).toBeLessThan(2100);
    expect(message.startsWith('insert into t values (1), ')).toBe(true);
    expect(message.endsWith('(1) - too many terms in compound SELECT')).toBe(true);
    expect(message).toContain(`characters cut`);
  });
});
