/**
 * Quarantine: the file `stestr run --exclude-list FILE` takes, one anchored regular expression
 * (Python's `re`, matched against each test id) per flaky test.
 */

/** Python regex metacharacters, escaped with a backslash. */
const META = /[\\^$.|?*+()[\]{}]/g;

/**
 * The line that excludes `testId`: its characters literal, then any tempest-style `[attrs]`
 * group (gatewatch stores ids without it; stestr matches ids with it). `#` starts a comment in
 * stestr's list files, so it is written `\x23`.
 */
export function excludeLine(testId: string): string {
  const literal = testId.replace(META, '\\$&').replace(/#/g, '\\x23');
  return `^${literal}(\\[[^\\]]*\\])?$`;
}
