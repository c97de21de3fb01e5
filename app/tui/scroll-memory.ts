/**
 * Each page's place, kept in the progress file: leaving a page (for another, or quitting) saves
 * where it was; opening it again, in this session or the next, goes back there.
 */
import type { PagePlace, Progress } from "../course/progress.js";
import type { Scroll } from "./ui-state.js";

/** Where the page `id` was left: a fraction of its rows, resolved once it is laid out. */
export function savedScroll(progress: Progress, id: string): Scroll {
  const place = progress.scroll?.[id];
  if (!place || !(place.of > 0) || !(place.row > 0)) return 0;
  return { fraction: Math.min(place.row / place.of, 1) };
}

/** The progress with `place` as where the page `id` was left (none: as it was). */
export function withScroll(progress: Progress, id: string, place: PagePlace | undefined): Progress {
  if (!place) return progress;
  return { ...progress, scroll: { ...progress.scroll, [id]: place } };
}
