import { Text } from "ink";
import { useEffect, useState } from "react";
import { MARK, color, formatDuration, type Mark } from "../format.js";
import { SPINNER } from "./theme.js";

/** Re-renders its caller every `ms` while mounted. */
function useTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}

export function Spinner() {
  const tick = useTick(100);
  return <Text color={color.accent}>{SPINNER[tick % SPINNER.length]}</Text>;
}

/** Time since `since`, counting while shown. */
export function Elapsed({ since }: { since: number }) {
  useTick(100);
  return <Text color={color.dim}>{formatDuration(Date.now() - since)}</Text>;
}

/** A state's symbol in its colour (the grey ones as secondary text: not grey in high contrast). */
export function MarkIcon({ mark }: { mark: Mark }) {
  const { symbol, color: its } = MARK[mark];
  return <Text color={its === "gray" ? color.dim : its}>{symbol}</Text>;
}
