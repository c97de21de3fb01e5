import { useEffect, useState } from "react";

/**
 * A value loaded after the first paint (the doctor's findings, the page renderer): `initial`
 * until it has loaded. `load` is called once per identity.
 */
export function useLoaded<T>(load: () => Promise<T>): T | undefined;
export function useLoaded<T>(load: () => Promise<T>, initial: T): T;
export function useLoaded<T>(load: () => Promise<T>, initial?: T): T | undefined {
  const [value, setValue] = useState(() => initial);
  useEffect(() => {
    let live = true;
    // Wrapped: a value that is a function (a renderer) would be taken for an updater.
    void load().then((loaded) => live && setValue(() => loaded));
    return () => {
      live = false;
    };
  }, [load]);
  return value;
}
