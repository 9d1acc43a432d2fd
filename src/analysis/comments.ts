/**
 * Lines of JavaScript, TypeScript or CSS source that hold only comments: the notes, TODOs and explanations a
 * minifier strips and a leaked `sourcesContent` gives back. One linear pass; strings are skipped so `"//"` inside
 * them is not a comment (template literals and regular expressions are approximated as strings and code).
 */
export function countCommentLines(text: string): number {
  const n = text.length;
  let count = 0;
  let hasCode = false;
  let hasComment = false;
  let inBlock = false;
  let quote = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (hasComment && !hasCode) count++;
      hasCode = false;
      // A line inside a block comment is a comment line even when it is blank or ` *`.
      hasComment = inBlock;
      if (quote !== 96) quote = 0;
      continue;
    }
    if (inBlock) {
      hasComment = true;
      if (c === 42 && text.charCodeAt(i + 1) === 47) {
        inBlock = false;
        i++;
      }
      continue;
    }
    if (quote !== 0) {
      if (c === 92) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) continue;
    if (c === 47) {
      const next = text.charCodeAt(i + 1);
      if (next === 47) {
        hasComment = true;
        const end = text.indexOf('\n', i);
        i = (end === -1 ? n : end) - 1;
        continue;
      }
      if (next === 42) {
        hasComment = true;
        inBlock = true;
        i++;
        continue;
      }
    }
    if (c === 34 || c === 39 || c === 96) quote = c;
    hasCode = true;
  }
  if (hasComment && !hasCode && n > 0 && text.charCodeAt(n - 1) !== 10) count++;
  return count;
}
