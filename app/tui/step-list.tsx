import { Box, Text } from "ink";
import { ANY_ORDER, anyOrder, OUTRO_PAGE, stepNumber, type Reading, type Step } from "../course/steps.js";
import { ENTRIES, FIRST_BONUS, isStep } from "./course-entries.js";
import { ellipsis, Panel } from "./panel.js";
import { MarkIcon, Spinner } from "./spinner.js";
import { STATE_MARK, unfinished, type StepStanding } from "./step-states.js";
import { color, colorDisabled } from "../format.js";
import { CURSOR, OPEN_MARK } from "./theme.js";

interface StepListProps {
  standings: ReadonlyMap<string, StepStanding>;
  openId: string;
  cursor: number;
  running?: string;
  focused: boolean;
  width: number;
  height: number;
  /** What the open step has the learner write (or, in instructor mode, where the reference's is), shown under the list when there is room. */
  writes?: { label: string; file: string; functions: readonly string[] };
}

/** The course at a glance: each step with its state (the introduction and the outro around them), the open one marked, 4-6 noted as any-order. */
export function StepList({ standings, openId, cursor, running, focused, width, height, writes }: StepListProps) {
  const room = width - 4;
  const courseDone = unfinished(standings).length === 0;
  const rows = ENTRIES.flatMap((entry, index) => {
    const row = isStep(entry) ? (
      <StepRow
        key={entry.id}
        step={entry}
        standing={standings.get(entry.id)}
        open={entry.id === openId}
        selected={index === cursor}
        focused={focused}
        running={entry.id === running}
        room={room}
      />
    ) : (
      <ReadingRow key={entry.id} reading={entry} done={entry.id === OUTRO_PAGE.id && courseDone} open={entry.id === openId} selected={index === cursor} focused={focused} room={room} />
    );
    if (entry.id === ANY_ORDER.at(-1)?.id) return [row, <Text key="any-order" color={color.dim}>{ellipsis(`  ${anyOrder()} in any order`, room)}</Text>];
    if (entry.id === FIRST_BONUS) return [<Text key="bonus"> </Text>, <Text key="bonus-title" color={color.dim}>{"  Bonus"}</Text>, row];
    return [row];
  });
  const visible = height - 2;
  const first = firstListRow(cursor, height);
  const aside = writes ? ["", writes.label, writes.file, ...writes.functions.map((f) => ` · ${f}`)] : [];
  const showAside = aside.length > 0 && rows.length + aside.length <= visible;
  return (
    <Panel title="Steps" width={width} height={height} focused={focused}>
      <Box flexDirection="column">
        {rows.slice(first, first + visible)}
        {showAside
          ? aside.map((line, i) => (
              <Text key={`aside-${i}`} color={i === 1 ? color.dim : undefined} wrap="truncate">
                {`  ${line}`}
              </Text>
            ))
          : null}
      </Box>
    </Panel>
  );
}

/** The list's rows, as keys: an entry's id, or "any-order", "bonus", "bonus-title" for the rows between. */
export const LIST_ROWS: readonly string[] = ENTRIES.flatMap((entry) => {
  if (entry.id === ANY_ORDER.at(-1)?.id) return [entry.id, "any-order"];
  if (entry.id === FIRST_BONUS) return ["bonus", "bonus-title", entry.id];
  return [entry.id];
});

/** The first row shown in a list `height` rows tall: too short for the whole course (60×16), the rows scroll so that the cursor stays in view. */
export function firstListRow(cursor: number, height: number): number {
  const visible = height - 2;
  const cursorRow = LIST_ROWS.indexOf(ENTRIES[cursor]?.id ?? "");
  return Math.max(0, Math.min(cursorRow - visible + 1, LIST_ROWS.length - visible));
}

interface StepRowProps {
  step: Step;
  standing?: StepStanding;
  open: boolean;
  selected: boolean;
  focused: boolean;
  running: boolean;
  room: number;
}

function StepRow({ step, standing, open, selected, focused, running, room }: StepRowProps) {
  const label = [stepNumber(step), step.title].filter(Boolean).join(" ");
  return (
    <Text wrap="truncate" inverse={selected && focused}>
      <Text color={color.accent}>{gutter(selected, open)}</Text>
      {running ? <Spinner /> : <StateIcon standing={standing} />}
      <Text bold={open} color={open ? color.accent : undefined}>
        {` ${ellipsis(label, room - 3)}`}
      </Text>
    </Text>
  );
}

/** The introduction or the outro: no checks, so no state mark; the outro is marked done with the course. */
function ReadingRow({ reading, done, open, selected, focused, room }: { reading: Reading; done: boolean; open: boolean; selected: boolean; focused: boolean; room: number }) {
  return (
    <Text wrap="truncate" inverse={selected && focused}>
      <Text color={color.accent}>{gutter(selected, open)}</Text>
      {done ? <MarkIcon mark="pass" /> : <Text> </Text>}
      <Text bold={open} color={open ? color.accent : undefined}>
        {` ${ellipsis(reading.title, room - 3)}`}
      </Text>
    </Text>
  );
}

/**
 * A row's first column: the cursor; else, without colour (where bold and colour are not drawn),
 * a mark on the open entry, so that it stays visible when the cursor leaves it.
 */
export function gutter(selected: boolean, open: boolean): string {
  if (selected) return CURSOR;
  return open && colorDisabled() ? OPEN_MARK : " ";
}

export function StateIcon({ standing }: { standing?: StepStanding }) {
  return <MarkIcon mark={standing?.unrun ? "pending" : STATE_MARK[standing?.state ?? "not-started"]} />;
}
