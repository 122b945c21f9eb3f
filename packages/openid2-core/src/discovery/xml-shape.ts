/**
 * A linear pre-scan of an XML document that bounds its shape before a DOM
 * parser sees it. @xmldom/xmldom spends time quadratic in nesting depth and
 * in attributes per element: a hostile 1 MiB document of nested elements
 * would block the event loop for seconds. Real XRDS documents are a few
 * levels deep and a few dozen elements long.
 */

/** Bounds on the shape of an XML document. */
export interface XMLShapeLimits {
  maxDepth: number;
  maxElements: number;
  maxAttributesPerElement: number;
  maxAttributes: number;
}

/**
 * Generous for any XRDS document (a large one has a few hundred elements),
 * small enough to keep xmldom under about 0.1 s on any document within the
 * fetcher's size cap.
 */
export const XRDS_SHAPE_LIMITS: Readonly<XMLShapeLimits> = Object.freeze({
  maxDepth: 32,
  maxElements: 2_000,
  maxAttributesPerElement: 64,
  maxAttributes: 10_000,
});

/** For a comment, CDATA section or processing instruction at `start`: the index after it (-1 if unclosed); else undefined. */
function skipSpecial(text: string, start: number): number | undefined {
  const pairs: ReadonlyArray<[string, string]> = [['<!--', '-->'], ['<![CDATA[', ']]>'], ['<?', '?>']];
  for (const [open, close] of pairs) {
    if (text.startsWith(open, start)) {
      const end = text.indexOf(close, start + open.length);
      return end < 0 ? -1 : end + close.length;
    }
  }
  return undefined;
}

/** Scans a start tag from its `<`: the index of its `>` (or -1) and its attribute count. */
function scanStartTag(text: string, start: number): { end: number; attributes: number } {
  let quote = '';
  let attributes = 0;
  for (let i = start + 1; i < text.length; i += 1) {
    const char = text[i];
    if (quote !== '') {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '=') attributes += 1;
    else if (char === '>') return { end: i, attributes };
  }
  return { end: -1, attributes };
}

/**
 * Checks the shape of an XML document in one pass. Returns a description of
 * the first limit exceeded, or undefined. Malformed markup is left for the
 * parser to report.
 */
export function checkXMLShape(text: string, limits: XMLShapeLimits = XRDS_SHAPE_LIMITS): string | undefined {
  let depth = 0;
  let elements = 0;
  let attributes = 0;
  for (let i = text.indexOf('<'); i >= 0 && i < text.length; i = text.indexOf('<', i)) {
    const special = skipSpecial(text, i);
    if (special !== undefined) {
      if (special < 0) return undefined;
      i = special;
      continue;
    }
    if (text[i + 1] === '/') {
      depth -= 1;
      i += 2;
      continue;
    }
    const tag = scanStartTag(text, i);
    if (tag.end < 0) return undefined;
    elements += 1;
    if (depth + 1 > limits.maxDepth) return `elements nested more than ${limits.maxDepth} deep`;
    if (text[tag.end - 1] !== '/') depth += 1;
    if (elements > limits.maxElements) return `more than ${limits.maxElements} elements`;
    if (tag.attributes > limits.maxAttributesPerElement) return `an element with more than ${limits.maxAttributesPerElement} attributes`;
    attributes += tag.attributes;
    if (attributes > limits.maxAttributes) return `more than ${limits.maxAttributes} attributes`;
    i = tag.end + 1;
  }
  return undefined;
}
