import { useRef, useState } from "react";
import { loadProgress, saveProgress, type Progress } from "../course/progress.js";

/**
 * The saved progress as React state: every change is written to the file straight away. The ref
 * holds the latest progress for code that runs between renders (keys, finished runs).
 */
export function useProgress(file: string): [Progress, (change: (p: Progress) => Progress) => void, { readonly current: Progress }] {
  const [progress, setProgress] = useState(() => loadProgress(file));
  const latest = useRef(progress);
  const update = (change: (p: Progress) => Progress) => {
    latest.current = change(latest.current);
    saveProgress(file, latest.current);
    setProgress(latest.current);
  };
  return [progress, update, latest];
}
