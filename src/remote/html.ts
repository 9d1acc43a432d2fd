/** Scripts and stylesheets a page links, as written (not yet resolved). */
export interface PageAssets {
  /** `src` of every `<script>` that has one, in document order. */
  scripts: string[];
  /** `href` of every `<link>` whose `rel` has the token `stylesheet`. */
  stylesheets: string[];
}

/**
 * Finds `<script src>` and `<link rel=stylesheet href>` in HTML with a linear scan: comments are skipped, and
 * so are the bodies of `<script>` and `<style>` (tags inside JavaScript strings are not tags).
 */
export function findAssets(html: string): PageAssets {
  const scripts: string[] = [];
  const stylesheets: string[] = [];
  const lower = html.toLowerCase();
  let i = 0;
  for (;;) {
    i = html.indexOf('<', i);
    if (i === -1) break;
    if (html.startsWith('<!--', i)) {
      i = commentEnd(html, i);
      continue;
    }
    // A tag starts with `<` and a letter; `< b` is text.
    if (!/[A-Za-z]/.test(html[i + 1] ?? '')) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < html.length && /[A-Za-z0-9-]/.test(html[j]!)) j++;
    const tag = lower.slice(i + 1, j);
    const { attributes, end, complete } = readAttributes(html, j);
    // A tag cut off by the end of the document is no tag (HTML tokenizer: EOF in tag).
    if (!complete) break;
    i = end;
    if (tag === 'script') {
      const src = attributes.get('src');
      if (src) scripts.push(src);
    } else if (tag === 'link') {
      const rel = (attributes.get('rel') ?? '').toLowerCase().split(/[\t\n\f\r ]+/);
      const href = attributes.get('href');
      if (href && rel.includes('stylesheet')) stylesheets.push(href);
    }
    if (RAW_TEXT.has(tag)) i = closingTag(lower, tag, i);
  }
  return { scripts, stylesheets };
}

/** Elements whose content is text, not markup (or, for template, markup that loads nothing). */
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'template']);

/** Index of the `</tag` that really closes `tag` (followed by space, `/` or `>`), or the end. */
function closingTag(lower: string, tag: string, from: number): number {
  let at = from;
  for (;;) {
    at = lower.indexOf(`</${tag}`, at);
    if (at === -1) return lower.length;
    const next = lower[at + 2 + tag.length];
    if (next === undefined || next === '>' || next === '/' || next === ' ' || next === '\t' || next === '\n' || next === '\r' || next === '\f') return at;
    at += 2 + tag.length;
  }
}

/** End of a comment starting at `at`: `<!-->` and `<!--->` close at once; else the first `-->` or `--!>`. */
function commentEnd(html: string, at: number): number {
  if (html.startsWith('<!-->', at)) return at + 5;
  if (html.startsWith('<!--->', at)) return at + 6;
  const a = html.indexOf('-->', at + 4);
  const b = html.indexOf('--!>', at + 4);
  if (a === -1 && b === -1) return html.length;
  if (b === -1 || (a !== -1 && a < b)) return a + 3;
  return b + 4;
}

/** Attributes from `at` to the closing `>`; names lower-cased, values entity-decoded (the common entities). */
function readAttributes(html: string, at: number): { attributes: Map<string, string>; end: number; complete: boolean } {
  const attributes = new Map<string, string>();
  let i = at;
  const n = html.length;
  const space = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f';
  while (i < n) {
    while (i < n && (space(html[i]) || html[i] === '/')) i++;
    if (i >= n) return { attributes, end: n, complete: false };
    if (html[i] === '>') return { attributes, end: i + 1, complete: true };
    const nameStart = i;
    while (i < n && !space(html[i]) && html[i] !== '=' && html[i] !== '>' && html[i] !== '/') i++;
    const name = html.slice(nameStart, i).toLowerCase();
    while (i < n && space(html[i])) i++;
    let value = '';
    if (html[i] === '=') {
      i++;
      while (i < n && space(html[i])) i++;
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, i + 1);
        if (close === -1) return { attributes, end: n, complete: false };
        value = html.slice(i + 1, close);
        i = close + 1;
      } else {
        const start = i;
        while (i < n && !space(html[i]) && html[i] !== '>') i++;
        value = html.slice(start, i);
      }
    }
    if (name && !attributes.has(name)) attributes.set(name, decodeEntities(value));
  }
  return { attributes, end: n, complete: false };
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}
