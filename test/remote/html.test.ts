import { describe, expect, it } from 'vitest';
import { findAssets } from '../../src/remote/html';

type Case = [label: string, html: string, scripts: string[], stylesheets: string[]];

const check = (html: string, scripts: string[], stylesheets: string[]): void => {
  expect(findAssets(html)).toEqual({ scripts, stylesheets });
};

describe('findAssets: attributes', () => {
  it.each<Case>([
    ['double quotes', '<script src="/a.js"></script>', ['/a.js'], []],
    ['single quotes', "<script src='/a.js'></script>", ['/a.js'], []],
    ['unquoted', '<script src=/a.js></script>', ['/a.js'], []],
    ['unquoted, then another attribute', '<script src=/a.js defer></script>', ['/a.js'], []],
    ['spaces around =', '<script src = "/a.js" ></script>', ['/a.js'], []],
    ['newlines and tabs between attributes', '<script\n\ttype="module"\n\tsrc="/m.js"\n></script>', ['/m.js'], []],
    ['boolean attributes before src', '<script async defer nomodule src="/a.js"></script>', ['/a.js'], []],
    ['a single quote inside double quotes', `<script src="/it's.js"></script>`, ["/it's.js"], []],
    ['a > inside a quoted value', '<script src="/a.js?x=>1"></script>', ['/a.js?x=>1'], []],
    ['spaces inside a quoted value are kept', '<script src=" /a.js "></script>', [' /a.js '], []],
    ['the first of duplicate attributes wins', '<script src="/first.js" src="/second.js"></script>', ['/first.js'], []],
    ['a script without src', '<script>1</script>', [], []],
    ['an empty src', '<script src=""></script>', [], []],
    ['a slash between tag name and attribute', '<script/src="/a.js"></script>', ['/a.js'], []],
    ['self-closing syntax', '<script src="/a.js"/>', ['/a.js'], []],
    ['data-src is not src', '<script data-src="/lazy.js"></script>', [], []],
    ['a tag whose name only starts with script', '<scripts src="/no.js"></scripts><script-x src="/no2.js"></script-x>', [], []],
    ['an end tag with attributes', '</script src="/no.js">', [], []],
    ['several scripts, in document order', '<script src="/1.js"></script><p>x</p><script src="/2.js"></script><script src="/3.js"></script>', ['/1.js', '/2.js', '/3.js'], []],
  ])('%s', (_label, html, scripts, stylesheets) => check(html, scripts, stylesheets));
});

describe('findAssets: case', () => {
  it.each<Case>([
    ['uppercase tag and attribute', '<SCRIPT SRC="/A.js"></SCRIPT>', ['/A.js'], []],
    ['mixed case', '<ScRiPt sRc="/a.js"></sCrIpT>', ['/a.js'], []],
    ['uppercase link, rel value and href', '<LINK REL="STYLESHEET" HREF="/S.css">', [], ['/S.css']],
    ['the value keeps its case', '<script src="/Bundle.JS"></script>', ['/Bundle.JS'], []],
  ])('%s', (_label, html, scripts, stylesheets) => check(html, scripts, stylesheets));
});

describe('findAssets: link rel tokens', () => {
  it.each<Case>([
    ['rel=stylesheet', '<link rel="stylesheet" href="/s.css">', [], ['/s.css']],
    ['unquoted', '<link rel=stylesheet href=/s.css>', [], ['/s.css']],
    ['href before rel', '<link href="/s.css" rel="stylesheet">', [], ['/s.css']],
    ['"stylesheet preload"', '<link rel="stylesheet preload" href="/s.css">', [], ['/s.css']],
    ['"preload stylesheet"', '<link rel="preload stylesheet" href="/s.css">', [], ['/s.css']],
    ['"alternate stylesheet"', '<link rel="alternate stylesheet" href="/alt.css">', [], ['/alt.css']],
    ['tokens split by tabs and newlines', '<link rel="\tpreload\nstylesheet " href="/s.css">', [], ['/s.css']],
    ['preload alone', '<link rel="preload" href="/p.css" as="style">', [], []],
    ['modulepreload is not a script', '<link rel="modulepreload" href="/m.js">', [], []],
    ['a token that only contains stylesheet', '<link rel="stylesheets" href="/no.css"><link rel="x-stylesheet" href="/no2.css">', [], []],
    ['no rel', '<link href="/s.css">', [], []],
    ['no href', '<link rel="stylesheet">', [], []],
    ['icon', '<link rel="icon" href="/favicon.ico">', [], []],
    ['scripts and stylesheets together, each list in document order', '<link rel=stylesheet href=/1.css><script src=/1.js></script><link rel=stylesheet href=/2.css><script src=/2.js></script>', ['/1.js', '/2.js'], ['/1.css', '/2.css']],
  ])('%s', (_label, html, scripts, stylesheets) => check(html, scripts, stylesheets));
});

describe('findAssets: character references in URLs', () => {
  it.each<Case>([
    ['&amp;', '<script src="/a.js?x=1&amp;y=2"></script>', ['/a.js?x=1&y=2'], []],
    ['&amp; unquoted', '<script src=/a.js?x=1&amp;y=2></script>', ['/a.js?x=1&y=2'], []],
    ['&amp; in a stylesheet href', '<link rel="stylesheet" href="/s.css?a=1&amp;b=2">', [], ['/s.css?a=1&b=2']],
    ['&quot; and &#39;', '<script src="/a&quot;b&#39;c.js"></script>', ['/a"b\'c.js'], []],
    ['decimal and hex references', '<script src="&#47;a&#x2F;b&#X2f;c.js"></script>', ['/a/b/c.js'], []],
    ['&lt; and &gt;', '<script src="/&lt;x&gt;.js"></script>', ['/<x>.js'], []],
    ['an astral code point', '<script src="/&#x1F600;.js"></script>', ['/\u{1F600}.js'], []],
    ['an unknown entity is kept', '<script src="/a.js?q=&bogus;"></script>', ['/a.js?q=&bogus;'], []],
    ['a lone ampersand is kept', '<script src="/a.js?x=1&y=2"></script>', ['/a.js?x=1&y=2'], []],
    ['a reference past U+10FFFF is kept', '<script src="/&#x110000;.js"></script>', ['/&#x110000;.js'], []],
    ['decoded once, not twice', '<script src="/a.js?x=&amp;amp;"></script>', ['/a.js?x=&amp;'], []],
  ])('%s', (_label, html, scripts, stylesheets) => check(html, scripts, stylesheets));
});

describe('findAssets: what is not a tag', () => {
  it.each<Case>([
    ['a script tag inside a JS string', `<script>var s = '<script src="/no.js">';</script><script src="/yes.js"></script>`, ['/yes.js'], []],
    ['a link tag inside a JS string', `<script>document.write('<link rel=stylesheet href=/no.css>')</script>`, [], []],
    ['a script with src whose body has a tag', `<script src="/yes.js">'<script src="/no.js">'</script>`, ['/yes.js'], []],
    ['the script end tag in another case', `<script>x = '<script src="/no.js">'</SCRIPT ><script src="/yes.js"></script>`, ['/yes.js'], []],
    ['a style body', '<style>a::before { content: "<link rel=stylesheet href=/no.css>" }</style><link rel=stylesheet href=/yes.css>', [], ['/yes.css']],
    ['a comment', '<!-- <script src="/no.js"></script> --><script src="/yes.js"></script>', ['/yes.js'], []],
    ['a comment holding a link', '<!--<link rel="stylesheet" href="/no.css">--><link rel="stylesheet" href="/yes.css">', [], ['/yes.css']],
    ['a multi-line comment', '<!--\n<script src="/no.js">\n</script>\n-->\n<script src="/yes.js"></script>', ['/yes.js'], []],
    ['several comments', '<!-- a --><script src="/1.js"></script><!-- <script src="/no.js"> --><script src="/2.js"></script>', ['/1.js', '/2.js'], []],
    ['an empty comment', '<!----><script src="/yes.js"></script>', ['/yes.js'], []],
    ['a doctype', '<!doctype html><script src="/yes.js"></script>', ['/yes.js'], []],
    ['text around tags', 'hello <b>world</b> <script src="/yes.js"></script> bye', ['/yes.js'], []],
  ])('%s', (_label, html, scripts, stylesheets) => check(html, scripts, stylesheets));
});

// The HTML tokenizer's rules (WHATWG HTML, 13.2.5) decide what a browser loads; these follow them.
describe('findAssets: unterminated and malformed markup, as the HTML tokenizer reads it', () => {
  it.each<Case>([
    ['an unterminated comment hides the rest', '<script src="/1.js"></script><!-- <script src="/no.js"></script>', ['/1.js'], []],
    ['an unterminated script body hides the rest', '<script>var x = 1; <script src="/no.js">', [], []],
    ['an unterminated style body hides the rest', '<style>a{}<link rel=stylesheet href=/no.css>', [], []],
    [
      'an unterminated quoted value runs to the next quote',
      '<script src="/a.js></script><script src="/b.js"></script>',
      ['/a.js></script><script src='],
      [],
    ],
    ['a lone < before a tag is text', '<p>1 < 2</p><script src="/yes.js"></script>', ['/yes.js'], []],
    ['an empty document', '', [], []],
    ['only a <', '<', [], []],
    ['only <!--', '<!--', [], []],
  ])('%s', (_label, html, scripts, stylesheets) => check(html, scripts, stylesheets));

  // EOF inside a tag: "eof-in-tag parse error. Emit an end-of-file token." The tag itself is dropped, so a browser
  // loads nothing for it.
  it.each<Case>([
    ['EOF after the attributes', '<script src="/no.js"', [], []],
    ['EOF inside a quoted value', '<script src="/no.js', [], []],
    ['EOF after an unquoted value', '<link rel=stylesheet href=/no.css', [], []],
  ])('a tag cut by the end of the document is not a tag: %s', (_label, html, scripts, stylesheets) => check(html, scripts, stylesheets));

  // "<" followed by a space is text (tag open state, "anything else": emit "<"), so the next "<script" opens a tag.
  it('a "<" followed by a space does not swallow the script tag after it', () => {
    check('<p>if a < b <script src="/yes.js"></script></p>', ['/yes.js'], []);
  });

  // "<!-->" and "<!--->" are complete (empty) comments, and "--!>" also ends a comment; the script after is loaded.
  it.each<Case>([
    ['<!-->', '<!--><script src="/yes.js"></script>', ['/yes.js'], []],
    ['<!--->', '<!---><script src="/yes.js"></script>', ['/yes.js'], []],
    ['--!>', '<!-- x --!><script src="/yes.js"></script>', ['/yes.js'], []],
  ])('a comment closed by %s ends there', (_label, html, scripts, stylesheets) => check(html, scripts, stylesheets));
});

describe('findAssets: large input', () => {
  it('a 1 MB document without tags has no assets', () => {
    check('lorem ipsum dolor sit amet '.repeat(40_000).slice(0, 1 << 20), [], []);
  });

  it('a 1 MB document of text with a script at the end finds it', () => {
    check(`${'x'.repeat(1 << 20)}<script src="/end.js"></script>`, ['/end.js'], []);
  });

  it('1 MB of "<" characters has no assets', () => {
    check('<'.repeat(1 << 20), [], []);
  });

  it('1 MB of "<!--" openers has no assets', () => {
    check(`${'<!--'.repeat(1 << 18)}<script src="/no.js">`, [], []);
  });

  it('a thousand scripts are all found, in order', () => {
    const srcs = Array.from({ length: 1000 }, (_, i) => `/c/${i}.js`);
    check(srcs.map((s) => `<script src="${s}"></script>`).join('\n'), srcs, []);
  });
});
