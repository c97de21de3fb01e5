import { Text } from "ink";
import { useSyncExternalStore } from "react";
import { MARK, color, formatDuration, type Mark } from "../format.js";
import { SPINNER } from "./theme.js";

/**
 * One clock for every spinner and elapsed time on the screen, ticking while one is shown: they all
 * change in one frame. Each with a timer of its own, every one of them cost a frame of the whole
 * screen (20 a second while checks ran), and a key waited behind them. Four ticks a second: a
 * frame costs Ink a pass over the whole screen (~10 – 20 ms on a loaded machine), and a key that
 * arrives during one waits for it.
 */
const TICK_MS = 250;
let tick = 0;
let timer: NodeJS.Timeout | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => {
    tick++;
    for (const l of listeners) l();
  }, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The clock's count, re-rendering its caller on each tick while mounted. */
function useTick(): number {
  return useSyncExternalStore(subscribe, () => tick);
}

export function Spinner() {
  const now = useTick();
  return <Text color={color.accent}>{SPINNER[now % SPINNER.length]}</Text>;
}

/** Time since `since`, counting while shown. */
export function Elapsed({ since }: { since: number }) {
  useTick();
  return <Text color={color.dim}>{formatDuration(Date.now() - since)}</Text>;
}

/** A state's symbol in its colour (the grey ones as secondary text: not grey in high contrast). */
export function MarkIcon({ mark }: { mark: Mark }) {
  const { symbol, color: its } = MARK[mark];
  return <Text color={its === "gray" ? color.dim : its}>{symbol}</Text>;
}
