/**
 * A fresh clone's first commands: the built entry runs by itself (executable, shebang), `npx
 * gatewatch` works from any folder of the clone, and the Node version `engines` names is one
 * every installed dependency accepts (else `npm install` warns, EBADENGINE).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkBuilt, MAIN } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  engines: { node: string };
};

function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('the built command', () => {
  it('is executable: it runs by itself, not only through node', async () => {
    checkBuilt();
    expect(statSync(MAIN).mode & 0o111).toBe(0o111);
    expect(await run(MAIN, ['--version'], ROOT)).toEqual({
      code: 0,
      out: `${pkg.version}\n`,
      err: '',
    });
  });

  it('runs as npx gatewatch from any folder of the clone', async () => {
    for (const folder of ['', 'server/cli', 'test/fixtures']) {
      const result = await run(
        'npx',
        ['--no-install', 'gatewatch', '--version'],
        join(ROOT, folder),
      );
      expect({ folder, ...result }).toEqual({ folder, code: 0, out: `${pkg.version}\n`, err: '' });
    }
  });
});

describe('engines.node', () => {
  it('is accepted by every installed dependency, and by this Node', () => {
    const lowest = lowestVersion(pkg.engines.node);
    expect(satisfies(process.versions.node, pkg.engines.node)).toBe(true);
    const refusing = installedPackages(join(ROOT, 'node_modules'))
      .filter((dep) => dep.engine !== undefined && !satisfies(lowest, dep.engine))
      .map((dep) => `${dep.name}@${dep.version} wants node ${dep.engine}`);
    expect(refusing).toEqual([]);
  });

  it('is read by the range check as npm reads it', () => {
    const cases: [string, string, boolean][] = [
      ['20.19.0', '>=20.19', true],
      ['20.19.0', '>=22.15.0', false],
      ['20.19.0', '^18.18.0 || ^20.9.0 || >=21.1.0', true],
      ['20.19.0', '^20.19 || ^22.12 || >=24', true],
      ['20.19.0', '18 || 20 || >=22', true],
      ['21.0.0', '18 || 20 || >=22', false],
      ['20.19.0', '>= 20.11.1', true],
      ['20.19.0', '>=20.x', true],
      ['20.19.0', '~20.18', false],
      ['20.19.0', '*', true],
      ['20.19.0', '^10 || ^12 || >=14', true],
      ['20.19.0', '<20', false],
    ];
    for (const [version, range, expected] of cases) {
      expect({ version, range, ok: satisfies(version, range) }).toEqual({
        version,
        range,
        ok: expected,
      });
    }
  });
});

interface InstalledPackage {
  name: string;
  version: string;
  engine?: string;
}

/** Every package under `dir`, scoped and nested ones included. */
function installedPackages(dir: string): InstalledPackage[] {
  const found: InstalledPackage[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.name.startsWith('@')) {
      found.push(...installedPackages(path));
      continue;
    }
    let manifest: { name?: string; version?: string; engines?: { node?: string } };
    try {
      manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    found.push({
      name: manifest.name ?? entry.name,
      version: manifest.version ?? '?',
      engine: manifest.engines?.node,
    });
    try {
      found.push(...installedPackages(join(path, 'node_modules')));
    } catch {
      // no nested node_modules
    }
  }
  return found;
}

type Version = [number, number, number];

function parse(text: string): Version {
  const [major = 0, minor = 0, patch = 0] = text.split('.').map((part) => Number(part) || 0);
  return [major, minor, patch];
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** The lowest version a `>=X` range admits (what gatewatch's engines field is). */
function lowestVersion(range: string): string {
  const match = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(range.trim());
  if (!match) throw new Error(`engines.node "${range}" is not of the form >=X.Y.Z`);
  return parse(match[1]!).join('.');
}

/**
 * Whether `version` is in a node-semver range as package engines write them: `||` of sets of
 * comparators (`>=`, `>`, `<=`, `<`, `=`, `^`, `~`, partial versions, `x`, `*`).
 */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((set) =>
    set
      .trim()
      .replace(/([<>=^~]+)\s+/g, '$1')
      .split(/\s+/)
      .every((comparator) => inComparator(v, comparator)),
  );
}

function inComparator(v: Version, comparator: string): boolean {
  const match = /^([<>]=?|=|\^|~)?v?([\dx*]+(?:\.[\dx*]+){0,2})?$/.exec(comparator);
  if (!match) throw new Error(`cannot read the range "${comparator}"`);
  const [, op = '', text = '*'] = match;
  const parts = text.split('.').filter((part) => !/^[x*]$/.test(part));
  const base = parse(parts.join('.'));
  const upper = (place: number): Version =>
    place === 0 ? [base[0] + 1, 0, 0] : place === 1 ? [base[0], base[1] + 1, 0] : base;
  const between = (low: Version, high: Version) => compare(v, low) >= 0 && compare(v, high) < 0;
  switch (op) {
    case '>=':
      return compare(v, base) >= 0;
    case '>':
      return parts.length < 3 ? compare(v, upper(parts.length - 1)) >= 0 : compare(v, base) > 0;
    case '<=':
      return parts.length < 3 ? compare(v, upper(parts.length - 1)) < 0 : compare(v, base) <= 0;
    case '<':
      return compare(v, base) < 0;
    case '^':
      return between(base, base[0] > 0 || parts.length === 1 ? upper(0) : upper(1));
    case '~':
      return between(base, parts.length === 1 ? upper(0) : upper(1));
    default:
      if (parts.length === 0) return true;
      return parts.length === 3 ? compare(v, base) === 0 : between(base, upper(parts.length - 1));
  }
}
