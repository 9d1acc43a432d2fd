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
      const end = html.indexOf('-->', i + 4);
      if (end === -1) break;
      i = end + 3;
      continue;
    }
    let j = i + 1;
    while (j < html.length && /[A-Za-z0-9-]/.test(html[j]!)) j++;
    const tag = lower.slice(i + 1, j);
    const { attributes, end } = readAttributes(html, j);
    i = end;
    if (tag === 'script') {
      const src = attributes.get('src');
      if (src) scripts.push(src);
      const close = lower.indexOf('</script', i);
      i = close === -1 ? html.length : close;
    } else if (tag === 'style') {
      const close = lower.indexOf('</style', i);
      i = close === -1 ? html.length : close;
    } else if (tag === 'link') {
      const rel = (attributes.get('rel') ?? '').toLowerCase().split(/[\t\n\f\r ]+/);
      const href = attributes.get('href');
      if (href && rel.includes('stylesheet')) stylesheets.push(href);
    }
  }
  return { scripts, stylesheets };
}

/** Attributes from `at` to the closing `>`; names lower-cased, values entity-decoded (the common entities). */
function readAttributes(html: string, at: number): { attributes: Map<string, string>; end: number } {
  const attributes = new Map<string, string>();
  let i = at;
  const n = html.length;
  const space = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f';
  while (i < n) {
    while (i < n && (space(html[i]) || html[i] === '/')) i++;
    if (i >= n || html[i] === '>') return { attributes, end: i + 1 };
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
        const stop = close === -1 ? n : close;
        value = html.slice(i + 1, stop);
        i = stop + 1;
      } else {
        const start = i;
        while (i < n && !space(html[i]) && html[i] !== '>') i++;
        value = html.slice(start, i);
      }
    }
    if (name && !attributes.has(name)) attributes.set(name, decodeEntities(value));
  }
  return { attributes, end: n };
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
