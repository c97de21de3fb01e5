/** The app's first and last lines: where the learner stands, and the keys. */
import { Box, Text } from "ink";
import { stepName, stepNumber, STEPS, type Step } from "../course/steps.js";
import { ENTRIES, FIRST_BONUS, isStep } from "./course-entries.js";
import { footerHints } from "./keys.js";
import type { MainView } from "./main-pane.js";
import { shownPath } from "../format.js";
import { Spinner } from "./spinner.js";
import { gutter, StateIcon } from "./step-list.js";
import type { StepStanding } from "./step-states.js";
import { color, colorDisabled, MARK } from "../format.js";

interface HeaderProps {
  width: number;
  standings: ReadonlyMap<string, StepStanding>;
  instructor: boolean;
  /** The implementation directory being watched. */
  watching?: string;
  repo: string;
  /** The room the learner shares with (app/tui/room-link.ts). */
  room?: { label: string; status: string };
  /** Narrow screens: the steps as a strip here instead of a column. */
  strip?: StripProps;
}

export function Header({ width, standings, instructor, watching, repo, room, strip }: HeaderProps) {
  const required = STEPS.filter((s) => !s.bonus);
  const done = required.filter((s) => standings.get(s.id)?.state === "done").length;
  const bonus = STEPS.filter((s) => s.bonus && standings.get(s.id)?.state === "done").length;
  const bar = required.map((s) => (standings.get(s.id)?.state === "done" ? "▰" : "▱")).join("");
  return (
    <Box width={width} height={1} overflow="hidden">
      <Box flexGrow={1}>
        <Text wrap="truncate">
          {strip ? (
            <StepStrip {...strip} standings={standings} />
          ) : (
            <>
              <Text bold>{" container-workshop  "}</Text>
              <Text color={color.pass}>{bar}</Text>
            </>
          )}
          {done === required.length ? <Text color={color.pass}>{` ${MARK.pass.symbol} course done`}</Text> : <Text>{` ${done}/${required.length} steps done`}</Text>}
          {bonus > 0 ? <Text color={color.dim}>{` · ${bonus} bonus`}</Text> : null}
        </Text>
      </Box>
      {room ? (
        <Text color={room.status === "connected" ? color.pass : color.warn} wrap="truncate">
          {` ● room ${room.label}${room.status === "connected" ? "" : ` (${room.status})`} `}
        </Text>
      ) : null}
      {instructor ? (
        <Text inverse bold color={color.warn}>
          {" INSTRUCTOR "}
        </Text>
      ) : (
        <Text color={color.dim} wrap="truncate">
          {/* Beside the strip of steps there is no room for it: the progress count matters more. */}
          {watching && width >= 80 && !strip ? `  watching ${shownPath(repo, watching)}/ ` : ""}
        </Text>
      )}
    </Box>
  );
}

interface StripProps {
  openId: string;
  cursor: number;
  focused: boolean;
  running?: string;
}

/**
 * Where each entry of the strip is on the header's row (columns from 1, `to` included), as
 * StepStrip draws it: before it a gap (" bonus" ahead of the first bonus step), the mark of the
 * cursor or the open entry without colour, then its state and number, or its word.
 */
export function stripSpans({ openId, cursor, focused }: Omit<StripProps, "running">): { id: string; from: number; to: number }[] {
  let column = 1;
  return ENTRIES.map((entry, index) => {
    const gap = (entry.id === FIRST_BONUS ? " bonus".length : 0) + 1 + (colorDisabled() ? gutter(focused && index === cursor, entry.id === openId).trim().length : 0);
    const width = isStep(entry) ? 1 + (stepNumber(entry) ?? "").length : entry.id.length;
    const span = { id: entry.id, from: column + gap, to: column + gap + width - 1 };
    column += gap + width;
    return span;
  });
}

/** The course in one line: each step's state and number, the open one bold and coloured, the cursor inverted when focused. */
function StepStrip({ openId, cursor, focused, running, standings }: StripProps & { standings: ReadonlyMap<string, StepStanding> }) {
  return (
    <>
      {ENTRIES.map((entry, index) => (
        <Text key={entry.id}>
          {entry.id === FIRST_BONUS ? <Text color={color.dim}>{" bonus"}</Text> : null}
          {/* Without colour, inverse and bold are not drawn: the cursor and the open entry are marked in the gap. */}
          <Text>{` ${colorDisabled() ? gutter(focused && index === cursor, entry.id === openId).trim() : ""}`}</Text>
          <Text inverse={focused && index === cursor} bold={entry.id === openId} underline={entry.id === openId}>
            {isStep(entry) ? (
              <>
                {entry.id === running ? <Spinner /> : <StateIcon standing={standings.get(entry.id)} />}
                <Text color={entry.id === openId ? color.accent : undefined}>{stepNumber(entry) ?? ""}</Text>
              </>
            ) : (
              // The pages without checks: a word ("intro", "outro"), no state.
              <Text color={entry.id === openId ? color.accent : color.dim}>{entry.id}</Text>
            )}
          </Text>
        </Text>
      ))}
      <Text color={color.dim}>{"  ·"}</Text>
    </>
  );
}

interface FooterProps {
  width: number;
  /** False on the introduction and the outro: the keys of a step's checks and hints are left out. */
  onStep: boolean;
  /** A word about the last key, instead of the keys. */
  notice?: string;
  /** A step whose solution is being asked for. */
  confirm?: Step;
  quitting: boolean;
  view: MainView;
  /** What a key under way needs said (a search being typed), instead of the keys. */
  status?: string;
  zoomed?: boolean;
}

export function Footer({ width, onStep, notice, confirm, quitting, view, status, zoomed }: FooterProps) {
  if (quitting) return <Text color={color.warn}>{" Stopping the checks and cleaning up…"}</Text>;
  if (notice) return <Text color={color.warn} wrap="truncate">{` ${notice}`}</Text>;
  if (confirm) {
    const name = stepName(confirm);
    return (
      <Text wrap="truncate">
        <Text bold color={color.warn}>{` Show the solution for ${name}? `}</Text>
        <Text>{"y/N"}</Text>
      </Text>
    );
  }
  if (status) return <Text wrap="truncate">{` ${status}`}</Text>;
  const extra = `${zoomed ? "z unzoom  " : ""}${view === "solution" ? "d diff  " : view !== "doc" ? "esc page  " : ""}`;
  return (
    <Text color={color.dim} wrap="truncate">
      {` ${extra}${footerHints(width - 2 - extra.length, onStep)}`}
    </Text>
  );
}
