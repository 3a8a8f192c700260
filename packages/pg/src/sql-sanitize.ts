/**
 * SQL literal scrubbing for `db.statement`, following PostgreSQL's lexical rules: strings
 * ('' escapes; backslash escapes only in E'' strings, as with standard_conforming_strings on,
 * the default since 9.1), B'' / X'' / N'' / U&'' strings, dollar-quoted bodies ($$...$$,
 * $tag$...$tag$), and numbers (decimal, exponent, 0x/0o/0b, underscores) become `?`.
 * Parameters ($1), identifiers (also "quoted" ones, and names holding digits or `$`),
 * keywords and operators are kept. Comments (-- and nested block comments) are dropped.
 * An unterminated literal or comment swallows the rest of the text: when in doubt, hide.
 */
export function sanitizeSql(sql: string): string {
  const n = sql.length;
  let out = '';
  let copied = 0;
  let i = 0;
  const replace = (start: number, end: number, by: string): void => {
    out += sql.substring(copied, start) + by;
    copied = end;
  };
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === DASH && sql.charCodeAt(i + 1) === DASH) {
      const end = lineEnd(sql, i + 2);
      replace(i, end, '');
      i = end;
    } else if (c === SLASH && sql.charCodeAt(i + 1) === STAR) {
      const end = blockCommentEnd(sql, i + 2);
      replace(i, end, ' ');
      i = end;
    } else if (c === QUOTE) {
      const end = stringEnd(sql, i + 1, false);
      replace(i, end, '?');
      i = end;
    } else if (c === DOUBLE_QUOTE) {
      i = quotedIdentifierEnd(sql, i + 1);
    } else if (c === DOLLAR) {
      if (isDigit(sql.charCodeAt(i + 1))) {
        i += 2;
        while (isDigit(sql.charCodeAt(i))) i++;
        continue;
      }
      const tagEnd = dollarTagEnd(sql, i);
      if (tagEnd === -1) {
        i++;
        continue;
      }
      const tag = sql.substring(i, tagEnd);
      const close = sql.indexOf(tag, tagEnd);
      const end = close === -1 ? n : close + tag.length;
      replace(i, end, '?');
      i = end;
    } else if (isDigit(c) || (c === DOT && isDigit(sql.charCodeAt(i + 1)))) {
      const end = numberEnd(sql, i);
      replace(i, end, '?');
      i = end;
    } else if (isIdentifierStart(c)) {
      let end = i + 1;
      while (end < n && isIdentifierPart(sql.charCodeAt(end))) end++;
      const prefixed = end - i === 1 ? prefixedStringEnd(sql, c, end) : -1;
      if (prefixed !== -1) {
        replace(i, prefixed, '?');
        i = prefixed;
      } else {
        i = end;
      }
    } else {
      i++;
    }
  }
  return copied === 0 ? sql : out + sql.substring(copied);
}

/**
 * The statement's verb (`SELECT`, `INSERT`, `WITH`, `BEGIN` ...): its first keyword, upper
 * case, after blanks, comments and opening parentheses. `undefined` when there is none.
 */
export function sqlVerb(sql: string): string | undefined {
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === SPACE || c === TAB || c === NEWLINE || c === RETURN || c === FORM_FEED || c === OPEN_PAREN || c === SEMICOLON) {
      i++;
    } else if (c === DASH && sql.charCodeAt(i + 1) === DASH) {
      i = lineEnd(sql, i + 2);
    } else if (c === SLASH && sql.charCodeAt(i + 1) === STAR) {
      i = blockCommentEnd(sql, i + 2);
    } else {
      break;
    }
  }
  let end = i;
  while (end < n && isAsciiLetter(sql.charCodeAt(end))) end++;
  if (end === i || end - i > 32) return undefined;
  return sql.substring(i, end).toUpperCase();
}

const TAB = 9;
const NEWLINE = 10;
const FORM_FEED = 12;
const RETURN = 13;
const SPACE = 32;
const DOUBLE_QUOTE = 34;
const DOLLAR = 36;
const AMPERSAND = 38;
const QUOTE = 39;
const OPEN_PAREN = 40;
const STAR = 42;
const PLUS = 43;
const DASH = 45;
const DOT = 46;
const SLASH = 47;
const SEMICOLON = 59;
const BACKSLASH = 92;
const UNDERSCORE = 95;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isIdentifierStart(c: number): boolean {
  return isAsciiLetter(c) || c === UNDERSCORE || c >= 128;
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || isDigit(c) || c === DOLLAR;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** `-- ...` ends at the line break (kept). */
function lineEnd(sql: string, from: number): number {
  for (let i = from; i < sql.length; i++) {
    const c = sql.charCodeAt(i);
    if (c === NEWLINE || c === RETURN) return i;
  }
  return sql.length;
}

/** End (exclusive) of a block comment whose `/*` ends at `from`; they nest in PostgreSQL. */
function blockCommentEnd(sql: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (c === SLASH && sql.charCodeAt(i + 1) === STAR) {
      depth++;
      i += 2;
    } else if (c === STAR && sql.charCodeAt(i + 1) === SLASH) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return sql.length;
}

/** End (exclusive) of a string whose opening quote is just before `from`. */
function stringEnd(sql: string, from: number, backslashEscapes: boolean): number {
  let i = from;
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (backslashEscapes && c === BACKSLASH) {
      i += 2;
    } else if (c === QUOTE) {
      if (sql.charCodeAt(i + 1) === QUOTE) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return sql.length;
}

function quotedIdentifierEnd(sql: string, from: number): number {
  let i = from;
  while (i < sql.length) {
    if (sql.charCodeAt(i) === DOUBLE_QUOTE) {
      if (sql.charCodeAt(i + 1) === DOUBLE_QUOTE) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return sql.length;
}

/** For `$tag$` or `$$` at `start`: the index after the opening tag, else -1. */
function dollarTagEnd(sql: string, start: number): number {
  let i = start + 1;
  if (sql.charCodeAt(i) === DOLLAR) return i + 1;
  if (!isIdentifierStart(sql.charCodeAt(i))) return -1;
  i++;
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (c === DOLLAR) return i + 1;
    if (!isIdentifierStart(c) && !isDigit(c)) return -1;
    i++;
  }
  return -1;
}

/** E'..', B'..', X'..', N'..' and U&'..' strings: the end of the literal, else -1. */
function prefixedStringEnd(sql: string, letter: number, afterLetter: number): number {
  const next = sql.charCodeAt(afterLetter);
  const lower = letter | 0x20;
  if (next === QUOTE) {
    if (lower === 0x65 /* e */) return stringEnd(sql, afterLetter + 1, true);
    if (lower === 0x62 /* b */ || lower === 0x78 /* x */ || lower === 0x6e /* n */) return stringEnd(sql, afterLetter + 1, false);
    return -1;
  }
  if (lower === 0x75 /* u */ && next === AMPERSAND && sql.charCodeAt(afterLetter + 1) === QUOTE) {
    return stringEnd(sql, afterLetter + 2, false);
  }
  return -1;
}

function numberEnd(sql: string, start: number): number {
  let i = start;
  const second = sql.charCodeAt(start + 1) | 0x20;
  if (sql.charCodeAt(start) === 48 && (second === 0x78 || second === 0x6f || second === 0x62) && isHexDigit(sql.charCodeAt(start + 2))) {
    i = start + 2;
    while (isHexDigit(sql.charCodeAt(i)) || sql.charCodeAt(i) === UNDERSCORE) i++;
    return i;
  }
  while (isDigit(sql.charCodeAt(i)) || sql.charCodeAt(i) === UNDERSCORE) i++;
  if (sql.charCodeAt(i) === DOT && sql.charCodeAt(i + 1) !== DOT) {
    i++;
    while (isDigit(sql.charCodeAt(i)) || sql.charCodeAt(i) === UNDERSCORE) i++;
  }
  if ((sql.charCodeAt(i) | 0x20) === 0x65 /* e */) {
    let j = i + 1;
    const sign = sql.charCodeAt(j);
    if (sign === PLUS || sign === DASH) j++;
    if (isDigit(sql.charCodeAt(j))) {
      while (isDigit(sql.charCodeAt(j))) j++;
      i = j;
    }
  }
  return i;
}
