/**
 * `workshop room`'s dashboard: who is stuck, and on what. One row per learner (the stuck ones
 * first), the room's summary above, and one learner's latest failure on Enter. Redrawn once a
 * second (`redrawMs`), whatever the room's traffic, and at once on a key.
 */
import { Box, Text, useApp, useInput, type Key } from "ink";
import { useEffect, useReducer, useRef, useState } from "react";
import { MARK } from "../format.js";
import type { RoomState } from "../room/state.js";
import { FILTERS, learnerRow, learnerRows, roomSummary, SORTS, type Filter, type LearnerRow, type SortKey } from "../room/view.js";
import { splitKeys } from "./key-handler.js";
import { roomTheme, type RoomTheme } from "./room-theme.js";
import { useTerminalSize } from "./terminal-size.js";

export interface RoomDashboardProps {
  state: RoomState;
  joinCommands: string[];
  projector?: boolean;
  checkTitle(id: string): string;
  /** The clock, for tests. */
  now?: () => number;
  redrawMs?: number;
  onQuit?: () => void;
}

interface DashboardUi {
  sort: SortKey;
  filter: Filter;
  cursor: number;
  /** The learner whose failure is open. */
  open?: string;
}

/** Rows taken by everything but the learners' rows. */
const CHROME_ROWS = 7;

export function RoomDashboard({ state, joinCommands, projector = false, checkTitle, now = Date.now, redrawMs = 1000, onQuit }: RoomDashboardProps) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const theme = roomTheme(projector);
  useRoomRedraws(redrawMs);
  // Kept in a ref as well: keys that arrive together each see what the one before did.
  const ui = useRef<DashboardUi>({ sort: "stuck", filter: "all", cursor: 0 });
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const set = (change: Partial<DashboardUi>) => {
    ui.current = { ...ui.current, ...change };
    redraw();
  };
  const shown = Math.max(rows - CHROME_ROWS, 1);
  const { sort, filter, open } = ui.current;
  const at = now();
  const list = learnerRows(state, at, sort, filter);
  const selected = Math.min(ui.current.cursor, Math.max(list.length - 1, 0));
  const first = Math.max(0, Math.min(selected - shown + 1, list.length - shown));

  // "jjj" when key repeat outruns the drawing: each key on its own, as in the app.
  useInput((input, key) => {
    for (const [one, itsKey] of splitKeys(input, key)) onKey(one, itsKey);
  });
  const onKey = (input: string, key: Key) => {
    if (input === "q" || (key.ctrl && input === "c")) {
      onQuit?.();
      return exit();
    }
    const { sort, filter, cursor, open } = ui.current;
    if (open !== undefined) {
      if (key.escape || key.return) set({ open: undefined });
      return;
    }
    const current = learnerRows(state, now(), sort, filter);
    const at = Math.min(cursor, Math.max(current.length - 1, 0));
    if (key.upArrow || input === "k") set({ cursor: Math.max(at - 1, 0) });
    else if (key.downArrow || input === "j") set({ cursor: Math.min(at + 1, Math.max(current.length - 1, 0)) });
    else if (input === "s") set({ sort: SORTS[(SORTS.indexOf(sort) + 1) % SORTS.length]! });
    else if (input === "f") set({ filter: FILTERS[(FILTERS.indexOf(filter) + 1) % FILTERS.length]! });
    else if (key.return && current[at]) set({ open: current[at]!.id });
  };

  const summary = roomSummary(state, at);
  const connected = [...state.learners.values()].filter((l) => l.connections > 0).length;
  const openLearner = open === undefined ? undefined : state.learners.get(open);
  const openRow = openLearner && learnerRow(openLearner, at);
  return (
    <Box flexDirection="column" width={columns}>
      <Text wrap="truncate" bold color={theme.text}>
        {` Room · ${state.learners.size} learner${state.learners.size === 1 ? "" : "s"} · ${connected} connected`}
        {projector ? "  [projector]" : ""}
      </Text>
      <Text wrap="truncate" color={theme.accent} bold={theme.bold}>{` ${joinCommands[0] ?? ""}`}</Text>
      <Text wrap="truncate" color={theme.text} bold={theme.bold}>
        {` On: ${summary.perStep.map((s) => `${s.step} ×${s.learners}`).join("  ") || "nobody yet"}`}
        {summary.mostFailed ? `   Most failed: ${checkTitle(summary.mostFailed.check)} (${summary.mostFailed.learners})` : ""}
      </Text>
      <Text wrap="truncate" color={theme.pass} bold={theme.bold}>{` Finished: ${summary.finished.join(", ") || "nobody yet"}`}</Text>
      {openRow ? (
        <Failure row={openRow} checkTitle={checkTitle} theme={theme} height={shown + 1} />
      ) : (
        <Box flexDirection="column" height={shown + 1}>
          <Text wrap="truncate" color={theme.dim} bold={theme.bold}>
            {`   ${pad("NAME", 16)} ${pad("STEP", 12)} ${pad("CHECKS", 7)} ${pad("ON STEP", 8)} ${pad("SEEN", 8)} FAILING`}
          </Text>
          {list.slice(first, first + shown).map((row, i) => (
            <Row key={row.id} row={row} selected={first + i === selected} checkTitle={checkTitle} theme={theme} />
          ))}
          {list.length === 0 ? <Text color={theme.dim}>{filter === "all" ? "   Nobody has joined yet." : `   Nobody is ${filter}.`}</Text> : null}
        </Box>
      )}
      <Text wrap="truncate" color={theme.dim} bold={theme.bold}>
        {open !== undefined ? " esc back  q quit" : ` ↑↓ move  ⏎ failure  s sort: ${sort}  f filter: ${filter}  q quit`}
      </Text>
    </Box>
  );
}

function Row({ row, selected, checkTitle, theme }: { row: LearnerRow; selected: boolean; checkTitle(id: string): string; theme: RoomTheme }) {
  const mark = row.finished ? MARK.pass : row.failing ? MARK.fail : row.total ? MARK.partial : MARK["not-started"];
  const markColor = row.finished ? theme.pass : row.failing ? theme.fail : theme.warn;
  return (
    <Text wrap="truncate" inverse={selected} bold={theme.bold} color={theme.text}>
      {selected ? "›" : " "}
      <Text color={markColor}>{` ${mark.symbol}`}</Text>
      {` ${pad(row.name, 16)} ${pad(row.step, 12)} ${pad(row.total ? `${row.passed}/${row.total}` : "–", 7)} ${pad(since(row.onStepMs), 8)} `}
      <Text color={row.connected ? theme.text : theme.warn}>{pad(row.connected ? since(row.seenAgoMs) : "offline", 8)}</Text>
      {row.failing ? <Text color={theme.fail}>{` ${checkTitle(row.failing)}`}</Text> : null}
    </Text>
  );
}

function Failure({ row, checkTitle, theme, height }: { row: LearnerRow; checkTitle(id: string): string; theme: RoomTheme; height: number }) {
  return (
    <Box flexDirection="column" height={height} paddingLeft={1}>
      <Text bold color={theme.text}>{`${row.name} · on ${row.step} for ${since(row.onStepMs)} · ${row.passed}/${row.total} checks passed`}</Text>
      {row.failing ? (
        <>
          <Text color={theme.fail} bold={theme.bold}>{`${MARK.fail.symbol} ${checkTitle(row.failing)}`}</Text>
          <Text color={theme.text} bold={theme.bold}>{`  ${row.failure ?? "(no message)"}`}</Text>
        </>
      ) : (
        <Text color={theme.dim} bold={theme.bold}>{row.total ? "Nothing fails in the latest run." : "No checks run on this step yet."}</Text>
      )}
    </Box>
  );
}

/**
 * Redraws every `ms`: the times change anyway, and a big room changes many times a second, so a
 * change waits for the next tick instead of drawing a frame of its own.
 */
function useRoomRedraws(ms: number): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const clock = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(clock);
  }, [ms]);
}

function pad(text: string, width: number): string {
  const chars = [...text];
  return chars.length > width ? `${chars.slice(0, width - 1).join("")}…` : text.padEnd(width);
}

/**
 * "< 1 min", "12 min", "1 h 05". Minutes are what a room needs (who has been stuck for long), and
 * seconds would change every row on every redraw, each redrawn in full.
 */
export function since(ms: number): string {
  if (ms < 60_000) return "< 1 min";
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min`;
  return `${Math.floor(ms / 3_600_000)} h ${String(Math.floor((ms % 3_600_000) / 60_000)).padStart(2, "0")}`;
}

/** The dashboard as an element, for callers that do not compile JSX. */
export function roomDashboardElement(props: RoomDashboardProps) {
  return <RoomDashboard {...props} />;
}
