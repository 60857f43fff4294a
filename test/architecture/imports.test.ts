/**
 * The tree's layering: no import cycle between folders. Each folder under server/ and
 * workers/ is one node (its subfolders included), each file directly in server/ or workers/
 * is its own. Static and type-only imports count; a dynamic `import()` does not: it is how a
 * light descriptor (a command, a domain's API part) names what it loads when used, and it
 * binds nothing while modules load.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** `server/runs/run.service.ts` → `server/runs`; `server/app.ts` stays itself. */
function nodeOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : file;
}

const IMPORT = /(?:from\s+|import\s+)'(\.{1,2}\/[^']+)'/g;

/** node → node → one file-level import that makes the edge (for the failure message). */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of [...sources('server'), ...sources('workers')]) {
    const from = nodeOf(file);
    for (const [, specifier] of readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)) {
      const target = relative(ROOT, join(ROOT, dirname(file), specifier!)).replace(/\.js$/, '.ts');
      const to = nodeOf(target);
      if (to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${file} imports ${specifier}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the imports that close it. */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    path.push(node);
    for (const [next, why] of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const loop = path.slice(path.indexOf(next));
        found.push(loop.map((n, i) => graph.get(n)!.get(loop[i + 1] ?? next) ?? why));
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('imports between folders', () => {
  it('form no cycle', () => {
    expect(cycles(folderGraph())).toEqual([]);
  });

  it('are seen by the check (it would catch a cycle)', () => {
    const graph = folderGraph();
    expect(graph.get('server/runs')?.has('server/db')).toBe(true);
    graph.get('server/db')!.set('server/runs', 'a made-up import');
    expect(cycles(graph).length).toBeGreaterThan(0);
  });
});
