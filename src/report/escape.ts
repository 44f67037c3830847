/**
 * Safe rendering of attacker-controlled text (package names, versions, script bodies, URLs, registry
 * messages) into GitHub Markdown: no raw HTML, no auto-links, no @mentions, no way to break out of a
 * code span or block and fake an "all clear", and no HTML comment markers (the App keeps its state in
 * hidden `<!-- lockwarden:… -->` blocks of its own comment).
 */

const ZWSP = '\u200b';
const ZWJ = '\u200d';

/**
 * Breaks every `<!--` and `-->` with a zero-width joiner. Entities do not render inside code spans
 * and fences, so this is what keeps a script text readable there while no untrusted value can ever
 * open, close or forge a hidden marker; the joiner is none of `<!->`, so no new sequence can form.
 */
export function defuseComments(s: string): string {
  return s.replace(/<!--/g, `<${ZWJ}!--`).replace(/-->/g, `--${ZWJ}>`);
}

/**
 * One line of plain text: Markdown that could change the structure or fake content is escaped
 * (emphasis, links and images, code, tables, strikethrough, HTML, issue references), mentions and
 * auto-links are defused. The text is always placed mid-line by the renderers, so block syntax
 * (`-`, `1.`, `>`) cannot start a block and is left readable.
 */
export function escapeText(s: string): string {
  // `<` and `>` become entities, so no marker can survive; defused as well should that ever change.
  return defuseComments(oneLine(s))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]|~#!]/g, (c) => `\\${c}`)
    .replace(/@/g, `@${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}${ZWSP}.`);
}

/** Collapse newlines and control characters so a value cannot start a new Markdown block. */
export function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

/** The longest match of the global `re` in `t`, at least `min` (a loop: a spread of every match could overflow the stack). */
function longestRun(t: string, re: RegExp, min: number): number {
  let longest = min;
  for (const m of t.matchAll(re)) longest = Math.max(longest, m[0].length);
  return longest;
}

/** An inline code span that the content cannot close: the fence is longer than any backtick run inside. */
export function code(s: string, maxLength = 200): string {
  let t = oneLine(s);
  if (t.length > maxLength) t = `${t.slice(0, maxLength)}…`;
  // In GFM tables a pipe ends the cell even inside code spans.
  t = defuseComments(t).replace(/\|/g, '\\|');
  const longest = longestRun(t, /`+/g, 0);
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || t === '' ? ' ' : '';
  // Mentions are not processed inside code spans, so nothing else is needed.
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run in the text. */
export function codeBlock(s: string, maxLength = 2000, lang = ''): string {
  let t = s.replace(/\r\n?/g, '\n');
  let note = '';
  if (t.length > maxLength) {
    note = `\n… (${t.length - maxLength} more characters not shown)`;
    t = t.slice(0, maxLength);
  }
  t = defuseComments(t);
  const longest = longestRun(t, /`{3,}/g, 2);
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${t}\n${fence}${note}`;
}
