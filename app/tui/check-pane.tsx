import { Box, Text } from "ink";
import type { ReactElement } from "react";
import { OUTRO_PAGE, stepShortName, STEPS, type Step } from "../course/steps.js";
import { describeFinding, fixOffer, type Finding } from "../doctor/index.js";
import type { RunView } from "./check-runs.js";
import type { Overview } from "./overview.js";
import type { TypeCheckView } from "./type-checks.js";
import { formatTypeError } from "../checks/type-check.js";
import { entryName, isStep, type Entry } from "./course-entries.js";
import { capitalize, ellipsis, Panel } from "./panel.js";
import type { CheckInfo, CheckResult } from "./runner.js";
import { Elapsed, MarkIcon, Spinner } from "./spinner.js";
import { color, colorDisabled, formatDuration, MARK } from "../format.js";
import { CURSOR } from "./theme.js";
import { wrapLines } from "../terminal/wrap.js";

export interface CheckPaneModel {
  /** The open step, or the introduction or the outro: nothing to check there. */
  entry: Entry;
  checks: CheckInfo[];
  run?: RunView;
  /** True when the run is of the reference solution, not the learner's code. */
  reference: boolean;
  /** Where n leads, offered once this step passes (and on the introduction and the outro). */
  next?: Entry;
  /** The six steps not done yet: the outro names them. */
  unfinished: readonly Step[];
  findings: Finding[];
  /** Why the last run started, e.g. "saved process.ts". */
  trigger?: string;
  /** After a run of every step: which step to fix first. */
  overview?: Overview;
  /** The type check of the code the checks ran, when it is the learner's. */
  types?: TypeCheckView;
  /** The check under the pane's cursor, while the pane has the focus. */
  cursor?: string;
  /** The checks opened with Enter: their whole title and what they said, passed or not. */
  opened?: ReadonlySet<string>;
}

type Row = ReactElement;

/** The pane's rows, one screen row each, so the layout can size the pane to them. */
export function checkPaneRows(model: CheckPaneModel, width: number): Row[] {
  const rows: Row[] = [];
  const text = (key: string, line: string, props: { color?: string; bold?: boolean; dimColor?: boolean } = {}) =>
    rows.push(
      <Text key={key} wrap="truncate" {...props}>
        {line}
      </Text>,
    );
  const wrapped = (key: string, message: string, indent: number, props: { color?: string } = {}) =>
    wrapLines(message, width - indent).forEach((line, i) => text(`${key}-${i}`, `${" ".repeat(indent)}${line}`, props));

  // Beside the checks, whatever they say: the checks ran anyway, and these need fixing too.
  const typeRows = () => {
    const { errors = [], failure, checking } = model.types ?? {};
    if (failure) wrapped("type-failure", `${MARK.error.symbol} The types of your code could not be checked: ${failure}`, 0, { color: color.warn });
    if (errors.length === 0) return;
    text("type-errors", `${MARK.fail.symbol} ${plural(errors.length, "type error")}${checking ? " (checking again…)" : ""}:`, { color: color.fail, bold: true });
    errors.forEach((e, i) => wrapped(`type-error-${i}`, formatTypeError(e), 2, { color: color.fail }));
  };
  const blocking = model.findings.filter((f) => f.severity === "fail");
  const run = model.run;
  if (model.overview) wrapped("overview", `${MARK[model.overview.mark].symbol} ${model.overview.text}`, 0, { color: MARK[model.overview.mark].color });
  if (blocking.length > 0) {
    text("blocked", "Before the checks can run:", { bold: true });
    blocking.forEach((f, i) => wrapped(`blocker-${i}`, `${MARK.fail.symbol} ${describeFinding(f)}`, 0, { color: color.fail }));
  } else if (!isStep(model.entry)) {
    const then = model.next ? `read on, then press n for ${entryName(model.next)}.` : "read on.";
    if (model.entry.id !== OUTRO_PAGE.id) wrapped("reading", `No checks here: ${then}`, 0, { color: color.dim });
    else if (model.unfinished.length > 0) wrapped("reading", `No checks here. Not done yet: ${listSteps(model.unfinished)}; ${then}`, 0, { color: color.dim });
    else {
      const after = model.next ? `Read on, then press n for ${entryName(model.next)}.` : "Every bonus step too.";
      wrapped("reading", `${MARK.pass.symbol} All ${STEPS.filter((s) => !s.bonus).length} steps pass: you have built a container runtime. ${after}`, 0, { color: color.pass });
    }
  } else if (run?.outcome === "compile-error" || run?.outcome === "crashed") {
    rows.push(<StatusLine key="status" model={model} step={model.entry} width={width} />);
    wrapped("error", run.error ?? "", 2, { color: color.fail });
    typeRows();
  } else {
    rows.push(<StatusLine key="status" model={model} step={model.entry} width={width} />);
    // In the order of the checks, not the order their results came in.
    const firstTodo = model.checks.map((c) => run?.results.find((r) => r.id === c.id)).find((r) => r?.status === "not-started");
    for (const check of model.checks) {
      const result = run?.results.find((r) => r.id === check.id);
      const current = !result && run?.outcome === "running" && run.running.includes(check.id);
      const opened = model.opened?.has(check.id) ?? false;
      rows.push(<CheckRow key={check.id} check={check} result={result} current={current} width={width} selected={model.cursor === check.id} whole={opened} />);
      if (opened) {
        // The rest of the title, then what the check said, whatever its verdict.
        const rest = wrapLines(check.title, titleRoom(result, width)).slice(1);
        rest.forEach((line, i) => text(`${check.id}-title-${i}`, `  ${line}`));
        const said = result?.message ?? (result ? "" : "Not run yet.");
        if (said) wrapped(`${check.id}-message`, said, 4, { color: result?.status === "fail" ? color.fail : result?.status === "error" ? color.warn : undefined });
        else text(`${check.id}-message`, "    Nothing more to say: it passed.", { color: color.dim });
        continue;
      }
      if (result?.message && (result.status === "fail" || result.status === "error")) {
        wrapped(`${check.id}-message`, result.message, 4, { color: result.status === "fail" ? color.fail : color.warn });
      } else if (result?.message && result === firstTodo) {
        wrapped(`${check.id}-message`, result.message, 4, { color: color.dim });
      }
    }
    typeRows();
  }
  model.findings
    .filter((f) => f.severity === "warn")
    .forEach((f, i) => wrapped(`warning-${i}`, `${MARK.error.symbol} ${describeFinding(f)}`, 0, { color: color.warn }));
  const offer = fixOffer(model.findings);
  if (offer) wrapped("fix-offer", offer, 0);
  return rows;
}

function StatusLine({ model, step, width }: { model: CheckPaneModel; step: Step; width: number }) {
  const { run } = model;
  const who = model.reference ? "the reference solution" : "your code";
  const name = stepShortName(step);
  const trigger = model.trigger ? ` (${model.trigger})` : "";
  if (!run) return <Text color={color.dim}>{ellipsis(`Checks run when you open a step, save a file, or press r.`, width)}</Text>;
  switch (run.outcome) {
    case "preparing":
      return (
        <Text wrap="truncate">
          <Spinner /> {`Building ${who}${trigger}…`}
        </Text>
      );
    case "running":
      return (
        <Text wrap="truncate">
          <Spinner /> {`Checking ${who}${trigger} `}
          <Elapsed since={run.startedAt} />
        </Text>
      );
    case "cancelled":
      return <Text color={color.dim}>{ellipsis("Stopped. Press r to run the checks again.", width)}</Text>;
    case "compile-error":
      return <Text color={color.fail} bold>{ellipsis(`${MARK.fail.symbol} Your code does not compile:`, width)}</Text>;
    case "crashed":
      return <Text color={color.fail} bold>{ellipsis(`${MARK.fail.symbol} The checks could not run:`, width)}</Text>;
    case "finished":
      return <Finished model={model} run={run} name={name} width={width} />;
  }
}

function Finished({ model, run, name, width }: { model: CheckPaneModel; run: RunView; name: string; width: number }) {
  const took = formatDuration((run.endedAt ?? run.startedAt) - run.startedAt);
  const count = (status: CheckResult["status"]) => run.results.filter((r) => r.status === status).length;
  const total = model.checks.length || run.results.length;
  const failed = count("fail") + count("error");
  const passed = count("pass");
  if (failed > 0) {
    return <Text color={color.fail} wrap="truncate">{`${MARK.fail.symbol} ${failed} of ${total} checks ${failed === 1 ? "fails" : "fail"} · ${took}`}</Text>;
  }
  if (passed === total && total > 0) {
    // Not "passes" while the code has type errors, nor before its types have been checked.
    const typeErrors = model.types?.errors?.length ?? 0;
    if (typeErrors > 0) {
      return <Text color={color.warn} wrap="truncate">{ellipsis(`${MARK.partial.symbol} The checks of ${name} pass; your code has ${plural(typeErrors, "type error")} (below).`, width)}</Text>;
    }
    if (model.types?.checking) {
      return <Text color={color.pass} wrap="truncate">{ellipsis(`${MARK.pass.symbol} The checks of ${name} pass; checking the types of your code…`, width)}</Text>;
    }
    const next = model.next && !model.reference ? ` Press n for ${entryName(model.next)}.` : "";
    const says = model.reference ? `The reference solution passes ${name}.` : `${capitalize(name)} passes!`;
    return <Text color={color.pass} bold wrap="truncate">{ellipsis(`${MARK.pass.symbol} ${says} (${took})${next}`, width)}</Text>;
  }
  if (passed === 0) return <Text color={color.dim} wrap="truncate">{`${MARK["not-started"].symbol} Not started yet: write the first TODO below, then save.`}</Text>;
  return <Text color={color.warn} wrap="truncate">{`${MARK.partial.symbol} ${passed} of ${total} pass; the rest are not started · ${took}`}</Text>;
}

interface CheckRowProps {
  check: CheckInfo;
  result?: CheckResult;
  current: boolean;
  width: number;
  /** Under the pane's cursor. */
  selected: boolean;
  /** Opened: the title goes on over the next rows instead of being cut. */
  whole: boolean;
}

/** A check's time, at the right of its row: none for one that did not start (it took no time worth showing). */
function checkTime(result?: CheckResult): string {
  return result && result.status !== "not-started" ? formatDuration(result.durationMs) : "";
}

/** The columns a check's title has on its row: the pane's, less its mark and its time. */
function titleRoom(result: CheckResult | undefined, width: number): number {
  const time = checkTime(result);
  return width - 3 - (time ? time.length + 1 : 0);
}

function CheckRow({ check, result, current, width, selected, whole }: CheckRowProps) {
  const time = checkTime(result);
  const room = titleRoom(result, width);
  const title = whole ? (wrapLines(check.title, room)[0] ?? "") : ellipsis(check.title, room);
  const quiet = !result || result.status === "not-started";
  return (
    <Box width={width}>
      <Box flexGrow={1}>
        <Text wrap="truncate">
          {current ? <Spinner /> : <MarkIcon mark={result?.status ?? "pending"} />}
          {/* The cursor: inverse, and without colour (no inverse drawn) a mark before the title. */}
          <Text>{selected && colorDisabled() ? CURSOR : " "}</Text>
          <Text color={quiet ? color.dim : undefined} inverse={selected}>{title}</Text>
        </Text>
      </Box>
      <Text color={color.dim}>{time}</Text>
    </Box>
  );
}

/** "1 type error", "2 type errors". */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** "step 4", "steps 4 and 5", "steps 1, 2 and 3". */
function listSteps(steps: readonly Step[]): string {
  const ids = steps.map((s) => s.id);
  const last = ids.pop();
  return ids.length ? `steps ${ids.join(", ")} and ${last}` : `step ${last}`;
}

/** The checks pane: `rows` from checkPaneRows, scrolled by `offset`. */
export function CheckPane({ rows, offset, width, height, focused, title, padding }: { rows: Row[]; offset: number; width: number; height: number; focused: boolean; title: string; padding?: number }) {
  const visible = height - 2;
  const note = rows.length > visible ? `${Math.min(offset + visible, rows.length)}/${rows.length}` : undefined;
  return (
    <Panel title={title} note={note} width={width} height={height} focused={focused} padding={padding}>
      <Box flexDirection="column">{rows.slice(offset, offset + visible)}</Box>
    </Panel>
  );
}
