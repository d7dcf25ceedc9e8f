/**
 * A post's parts as a person edits them, in compose and in the post
 * editor: each part's text, a part added (the focus taken to it), moved one
 * place earlier or later (the focus kept on the button pressed, its own
 * per-channel texts moving with it), removed (with its files); a later
 * part's own text on a channel (`setPartVariants`); `said` is what a screen reader is told of the last change.
 */
import { useState, type Dispatch, type SetStateAction } from 'react';
import { movePart, removePart, type ThreadPart } from './thread';

let partKeys = 0;

/** A key no part has had yet. */
export function newPartKey(): string {
  return `part-${(partKeys += 1)}`;
}

export function useThreadParts(initial: ThreadPart[], dropFiles: (key: string) => void) {
  const [parts, setParts] = useState<ThreadPart[]>(initial);
  const [said, setSaid] = useState('');
  const setPartText = (key: string, value: string) => setParts((current) => current.map((part) => (part.key === key ? { ...part, text: value } : part)));
  /** Sets (as React's setters do: a value or a function of the current one) the part's own texts per channel. */
  const setPartVariants =
    (key: string): Dispatch<SetStateAction<Record<string, string>>> =>
    (next) =>
      setParts((current) => current.map((part) => (part.key === key ? { ...part, variants: typeof next === 'function' ? next(part.variants ?? {}) : next } : part)));
  const addPart = () => {
    const key = newPartKey();
    setParts((current) => [...current, { key, text: '' }]);
    setSaid(`Part ${parts.length + 1} added.`);
    setTimeout(() => document.querySelector<HTMLTextAreaElement>(`[data-part="${parts.length}"] textarea`)?.focus(), 0);
  };
  const movePartBy = (key: string, by: -1 | 1) => {
    const from = parts.findIndex((part) => part.key === key);
    setParts((current) => movePart(current, key, by));
    setSaid(`Part ${from + 1} is now part ${from + 1 + by}.`);
    // The button pressed moved with its part: keep the focus on it.
    setTimeout(() => document.querySelector<HTMLButtonElement>(`[data-part="${from + by}"] button[aria-label^="Move part"]:not(:disabled)`)?.focus(), 0);
  };
  const removePartOf = (key: string) => {
    const from = parts.findIndex((part) => part.key === key);
    setParts((current) => removePart(current, key));
    dropFiles(key);
    setSaid(`Part ${from + 1} removed.`);
  };
  return { parts, setParts, said, setSaid, setPartText, setPartVariants, addPart, movePartBy, removePartOf };
}
