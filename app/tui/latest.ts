import { useRef } from "react";

/**
 * A ref to a value as of the last render, for callbacks that outlive the render they were made
 * in (a key, a save, a signal): they act on what is drawn, not on what was drawn when they were set up.
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
