/** The Redis settings: `serve --redis`, GATEWATCH_REDIS and GATEWATCH_REDIS_PREFIX. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.js';
import { gatewatch } from '../helpers/cli.js';

describe('Redis settings', () => {
  it('keep the bus in-process by default, under the prefix gatewatch', () => {
    expect(loadConfig({}, {}).redis).toEqual({ url: null, prefix: 'gatewatch' });
  });

  it('take the flag over the environment, and the prefix from the environment', () => {
    const env = { GATEWATCH_REDIS: 'redis://env:6379', GATEWATCH_REDIS_PREFIX: 'staging' };
    expect(loadConfig({}, env).redis).toEqual({ url: 'redis://env:6379', prefix: 'staging' });
    expect(loadConfig({ redis: 'rediss://flag:6380/2' }, env).redis.url).toBe(
      'rediss://flag:6380/2',
    );
  });

  it('refuse a prefix with spaces, naming the setting', () => {
    expect(() => loadConfig({}, { GATEWATCH_REDIS_PREFIX: 'a b' })).toThrow(
      /^GATEWATCH_REDIS_PREFIX=a b: not a channel prefix/,
    );
  });

  it('refuse a URL that is not redis:// or rediss://, naming the setting and hiding the password', async () => {
    const refused = await gatewatch([
      'serve',
      '--db',
      'sqlite::memory:',
      '--redis',
      'http://user:secret@127.0.0.1:6379',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--redis http://user:***@127.0.0.1:6379: not a Redis URL');
    expect(refused.stderr).not.toContain('secret');
  });
});
