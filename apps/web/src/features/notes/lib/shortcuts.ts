/** A shortcut at the caret: the `.name` just typed, where it starts, and what replaces it. */
export interface Expansion {
  start: number;
  end: number;
  text: string;
}

/**
 * When the word before the caret is a known shortcut (`.ros`), what to replace it with: its text
 * (from `lookup`, which answers undefined for unknown names). A shortcut starts the text or follows
 * a space or a line break, so that `e.g.ros` or a decimal is never expanded.
 */
export function expansionAt(value: string, caret: number, lookup: (name: string) => string | undefined): Expansion | null {
  const before = value.slice(0, caret);
  const match = /(^|\s)(\.[a-z0-9][a-z0-9_-]{0,30})$/.exec(before);
  if (!match) return null;
  const name = match[2]!;
  const text = lookup(name);
  if (text === undefined) return null;
  return { start: caret - name.length, end: caret, text };
}

/** The value with the expansion applied, and where the caret goes (after the inserted text). */
export function applyExpansion(value: string, e: Expansion): { value: string; caret: number } {
  return { value: value.slice(0, e.start) + e.text + value.slice(e.end), caret: e.start + e.text.length };
}
