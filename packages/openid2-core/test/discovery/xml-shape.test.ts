import { checkXMLShape } from '../../src/discovery/xml-shape.js';

const limits = { maxDepth: 3, maxElements: 5, maxAttributesPerElement: 2, maxAttributes: 4 };

describe('checkXMLShape', () => {
  test.each([
    ['three levels', '<a><b><c/></b></a>'],
    ['three levels, closed', '<a><b><c></c></b></a>'],
    ['five elements', '<a><b/><b/><b/><b/></a>'],
    ['four attributes in all', '<a x="1" y="2"><b x="1" y="2"/></a>'],
    ['two attributes, one with > and = in quotes', `<a x="1>2" y='a=b'/>`],
    ['markup inside comments, CDATA and processing instructions is not counted', '<a><!-- <b><c><d><e> --><![CDATA[<b><c><d x=1 y=2 z=3>]]><?pi <b><c><d>?></a>'],
    ['text without markup', 'just text'],
    ['an unclosed start tag (left for the parser)', '<a><b><c><d'],
    ['an unclosed comment (left for the parser)', '<a><!-- <b><c><d><e>'],
  ])('accepts %s', (_name, text) => {
    expect(checkXMLShape(text, limits)).toBeUndefined();
  });

  test.each([
    ['four levels', '<a><b><c><d/></c></b></a>', /nested more than 3/],
    ['six elements', '<a><b/><b/><b/><b/><b/></a>', /more than 5 elements/],
    ['three attributes', '<a x="1" y="2" z="3"/>', /an element with more than 2 attributes/],
    ['five attributes in all', '<a x="1" y="2"><b x="1" y="2"/><b x="1"/></a>', /^more than 4 attributes/],
    ['depth regained after closing tags', '<a><b></b><b><c><d>', /nested more than 3/],
  ])('refuses %s', (_name, text, message) => {
    expect(checkXMLShape(text, limits)).toMatch(message);
  });

  test('the default limits accept a realistic XRDS shape', () => {
    const service = '<Service priority="10"><Type>t</Type><URI priority="1">u</URI><LocalID>l</LocalID></Service>';
    expect(checkXMLShape(`<?xml version="1.0"?><xrds:XRDS xmlns:xrds="x" xmlns="y"><XRD>${service.repeat(400)}</XRD></xrds:XRDS>`)).toBeUndefined();
  });
});
