/**
 * A small strict XML reader for the documents gatewatch writes (feeds): elements, attributes,
 * the five predefined entities, nothing else. Anything not well-formed throws.
 */
import { expect } from 'vitest';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Text with its entities resolved; throws on a bare `&` or an unknown entity. */
function unescape(text: string): string {
  return text.replace(/&([^;]*);|&/g, (match, name: string | undefined) => {
    const char = name === undefined ? undefined : ENTITIES[name];
    if (char === undefined) throw new Error(`bad entity or bare & at "${match}"`);
    return char;
  });
}

/** Parses a document of elements and text; throws on anything not well-formed. */
export function parseXml(xml: string): XmlElement {
  if (NOT_XML_CHAR.test(xml)) throw new Error('a character XML cannot hold');
  const prolog = /^<\?xml version="1\.0" encoding="utf-8"\?>\s*/.exec(xml);
  if (!prolog) throw new Error('no XML declaration');
  const token =
    /<\/([A-Za-z][\w:.-]*)\s*>|<([A-Za-z][\w:.-]*)((?:\s+[A-Za-z][\w:.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  token.lastIndex = prolog[0].length;
  while (token.lastIndex < xml.length) {
    const at = token.lastIndex;
    const match = token.exec(xml);
    if (!match) throw new Error(`not well-formed at ${at}: ${xml.slice(at, at + 40)}`);
    const [, close, open, attributes, empty, text] = match;
    const parent = stack.at(-1);
    if (text !== undefined) {
      if (parent) parent.text += unescape(text);
      else if (text.trim() !== '') throw new Error(`text outside the root at ${at}`);
    } else if (close !== undefined) {
      if (stack.pop()?.name !== close) throw new Error(`mismatched </${close}> at ${at}`);
    } else {
      if (!parent && root) throw new Error(`a second root at ${at}`);
      const element: XmlElement = { name: open!, attributes: {}, children: [], text: '' };
      for (const [, name, value] of attributes!.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
        if (name! in element.attributes) throw new Error(`attribute ${name} twice`);
        element.attributes[name!] = unescape(value!);
      }
      if (parent) parent.children.push(element);
      else root = element;
      if (empty === '') stack.push(element);
    }
  }
  if (!root || stack.length > 0) throw new Error('unclosed elements');
  return root;
}

/** The one child element named `name` (the test fails unless there is exactly one). */
export const child = (element: XmlElement, name: string): XmlElement => {
  const found = element.children.filter((c) => c.name === name);
  expect(found, `<${name}> in <${element.name}>`).toHaveLength(1);
  return found[0]!;
};
