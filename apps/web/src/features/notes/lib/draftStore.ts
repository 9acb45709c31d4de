import type { NoteInput } from '../api/notes.ts';

/**
 * The copy of a draft kept on this device (localStorage) until the server has it: closing the tab
 * or losing the network loses at most what was typed in the last keystrokes. One entry per encounter,
 * removed once a save answers.
 */
export interface LocalDraft {
  input: NoteInput;
  /** when it was typed (ms) */
  at: number;
  /** the server version it was typed on */
  baseVersion: number;
}

const key = (encounterId: string) => `sanita.noteDraft.${encounterId}`;

export const draftStore = {
  read(encounterId: string): LocalDraft | null {
    try {
      const raw = localStorage.getItem(key(encounterId));
      return raw ? (JSON.parse(raw) as LocalDraft) : null;
    } catch {
      return null;
    }
  },
  write(encounterId: string, draft: LocalDraft): void {
    try {
      localStorage.setItem(key(encounterId), JSON.stringify(draft));
    } catch {
      // storage full or disabled: the server copy is all there is
    }
  },
  clear(encounterId: string): void {
    try {
      localStorage.removeItem(key(encounterId));
    } catch {
      // nothing to clear
    }
  },
};
