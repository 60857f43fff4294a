/**
 * Test ids and their attribute groups.
 *
 * testtools' `WithAttributes` (and tempest's `idempotent_id`) append the attributes of a test
 * to its id as one trailing bracket group: `a.B.test_x[id-1fc6,smoke]`. Brackets also occur
 * inside real ids (`test.datetimetester.ZoneInfoTest[Africa/Abidjan]_Fast.test_folds`), so
 * only a group that closes the id counts; subunit2sql's `\[(.*)\]` got this wrong and merged
 * thousands of distinct tests.
 *
 * Rules:
 * - the id must end with `]`; the group runs back to the `[` that balances it (nested
 *   brackets inside the group stay in it), and something must come before that `[`;
 * - the group's content is split on `,` as is (no trimming), so {@link joinTestId} gives back
 *   the raw id exactly; an empty group `[]` is not an attribute group;
 * - `foo[a]bar[b]` is `foo[a]bar` with attrs `['b']`: only the last group is attributes;
 * - class and module fixtures that unittest reports under ids like
 *   `setUpClass (tempest.api.x.SomeTest)` end with `)`, so they stay whole with no attrs;
 *   {@link fixtureOf} recognises them.
 *
 * The rule is the tempest/testtools convention: a runner that puts parameters in a trailing
 * group (pytest's `test_f[1-2]`) gets them as attrs too.
 */

/** A raw test id split into the test's id and its attributes. */
export interface SplitTestId {
  testId: string;
  attrs: string[];
}

/** Splits off the trailing `[...]` attribute group of `rawId`, if it has one. */
export function splitTestId(rawId: string): SplitTestId {
  const last = rawId.length - 1;
  if (last < 2 || rawId.charCodeAt(last) !== 0x5d /* ] */) return { testId: rawId, attrs: [] };
  // The usual group holds no brackets: native searches find it without the loop below.
  const group = rawId.lastIndexOf('[', last);
  if (group > 0 && rawId.indexOf(']', group) === last) {
    if (group === last - 1) return { testId: rawId, attrs: [] }; // `[]`
    return { testId: rawId.slice(0, group), attrs: splitAttrs(rawId, group + 1, last) };
  }
  let depth = 0;
  for (let i = last; i > 0; i--) {
    const c = rawId.charCodeAt(i);
    if (c === 0x5d) {
      depth++;
    } else if (c === 0x5b /* [ */ && --depth === 0) {
      if (i === last - 1) break; // `[]`
      return { testId: rawId.slice(0, i), attrs: splitAttrs(rawId, i + 1, last) };
    }
  }
  return { testId: rawId, attrs: [] };
}

/**
 * `rawId.slice(from, to).split(',')` without the intermediate string: this runs once per
 * result. `to` is the id's last index (its closing `]`), so every `,` found is before it.
 */
function splitAttrs(rawId: string, from: number, to: number): string[] {
  const attrs: string[] = [];
  for (let comma = rawId.indexOf(',', from); comma >= 0; comma = rawId.indexOf(',', from)) {
    attrs.push(rawId.slice(from, comma));
    from = comma + 1;
  }
  attrs.push(rawId.slice(from, to));
  return attrs;
}

/** The raw id that {@link splitTestId} splits into `testId` and `attrs`. */
export function joinTestId(testId: string, attrs: readonly string[]): string {
  return attrs.length === 0 ? testId : `${testId}[${attrs.join(',')}]`;
}

/** What unittest names a class or module fixture after when it fails or skips. */
export type FixtureKind = 'setUpClass' | 'tearDownClass' | 'setUpModule' | 'tearDownModule';

const FIXTURE_ID = /^(setUpClass|tearDownClass|setUpModule|tearDownModule) \((.+)\)$/s;

/**
 * For an id such as `setUpClass (tempest.api.x.SomeTest)`, the fixture and the class (or
 * module) it belongs to; undefined for an ordinary test id.
 */
export function fixtureOf(testId: string): { kind: FixtureKind; target: string } | undefined {
  const match = FIXTURE_ID.exec(testId);
  if (!match) return undefined;
  return { kind: match[1] as FixtureKind, target: match[2]! };
}
