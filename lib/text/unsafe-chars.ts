/**
 * Characters that are commands to a terminal or reorder text rather than text: the C0 and C1
 * controls with DEL (NUL, ESC starts `\e[2J` and friends, CR overwrites a line) and the Unicode
 * bidirectional controls (embeddings, overrides, isolates, marks) and line separators, which make
 * a name read differently from what it is. Names refuse them (nameProblem); every human-readable
 * CLI output escapes them in user-supplied text (escapeForTerminal), so old rows print safely.
 */
const UNSAFE = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const UNSAFE_ONE = new RegExp(`[${UNSAFE}]`, 'u');
const UNSAFE_ALL = new RegExp(`[${UNSAFE}]`, 'gu');

/** The words every refusal of a name uses for what is accepted. */
export const NAME_RULE =
  'text without control characters (U+0000–U+001F, U+007F–U+009F) ' +
  'or bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, U+2028, U+2029)';

const codeOf = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Null for a name that is plain text, else what is wrong with it ("contains U+001B at 0"). */
export function nameProblem(name: string): string | null {
  const match = UNSAFE_ONE.exec(name);
  return match ? `contains ${codeOf(match[0])} at character ${match.index}` : null;
}

/** The text with every unsafe character written as \u{…}; with keepNewlines, line breaks stay. */
export function escapeForTerminal(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(UNSAFE_ALL, (c) =>
    options.keepNewlines && c === '\n' ? c : `\\u{${c.codePointAt(0)!.toString(16)}}`,
  );
}
