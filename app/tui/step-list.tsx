import { Box, Text } from "ink";
import { STEPS, type Step } from "../course/steps.js";
import { ellipsis, Panel } from "./panel.js";
import { MarkIcon, Spinner } from "./spinner.js";
import { STATE_MARK, type StepStanding } from "./step-states.js";
import { color, symbol } from "./theme.js";

interface StepListProps {
  standings: ReadonlyMap<string, StepStanding>;
  openStep: string;
  cursor: number;
  running?: string;
  focused: boolean;
  width: number;
  height: number;
  /** What the open step has the learner write, shown under the list when there is room. */
  writes?: { file: string; functions: string[] };
}

/** The course at a glance: each step with its state, the open one marked, 4-6 noted as any-order. */
export function StepList({ standings, openStep, cursor, running, focused, width, height, writes }: StepListProps) {
  const room = width - 4;
  const rows = STEPS.flatMap((step, index) => {
    const row = (
      <StepRow
        key={step.id}
        step={step}
        standing={standings.get(step.id)}
        open={step.id === openStep}
        selected={index === cursor}
        focused={focused}
        running={step.id === running}
        room={room}
      />
    );
    if (step.id === "6") return [row, <Text key="any-order" color={color.dim}>{ellipsis("  4–6 in any order", room)}</Text>];
    if (step.id === "pivot-root") return [<Text key="bonus"> </Text>, <Text key="bonus-title" color={color.dim}>{"  Bonus"}</Text>, row];
    return [row];
  });
  const aside = writes ? ["", "You write, in", writes.file, ...writes.functions.map((f) => ` · ${f}`)] : [];
  const showAside = aside.length > 0 && rows.length + aside.length <= height - 2;
  return (
    <Panel title="Steps" width={width} height={height} focused={focused}>
      <Box flexDirection="column">
        {rows}
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
  const label = `${step.bonus ? "" : `${step.number} `}${step.title.replace(/^Bonus: /, "")}`;
  return (
    <Text wrap="truncate" inverse={selected && focused}>
      <Text color={color.accent}>{selected ? symbol.cursor : " "}</Text>
      {running ? <Spinner /> : <StateIcon standing={standing} />}
      <Text bold={open} color={open ? color.accent : undefined}>
        {` ${ellipsis(label, room - 3)}`}
      </Text>
    </Text>
  );
}

export function StateIcon({ standing }: { standing?: StepStanding }) {
  return <MarkIcon mark={STATE_MARK[standing?.state ?? "not-started"]} />;
}
