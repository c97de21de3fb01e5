/**
 * The workshop app: the steps on the left (a strip in the header on narrow screens), the open
 * step's page (or its trace, its solution, the keys) on the right, its checks below, re-run
 * whenever a file of the implementation is saved. Everything that touches the machine comes in
 * through `services`, so tests can script it.
 */
import { Box, Text, useApp, useInput } from "ink";
import { join } from "node:path";
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { readPage, type Page } from "../course/pages.js";
import { STEPS, findReading, findStep, INTRODUCTION_PAGE, moduleFile, type Step } from "../course/steps.js";
import { blockers, type Finding } from "../doctor/index.js";
import { CheckRuns } from "./check-runs.js";
import { CheckPane, checkPaneRows } from "./check-pane.js";
import { entryIndex, findEntry, type Entry } from "./course-entries.js";
import { Footer, Header } from "./frame.js";
import { handleKey } from "./key-handler.js";
import { layout, MIN_COLUMNS, MIN_ROWS, tooSmall } from "./layout.js";
import { MainPane, useMainContent } from "./main-pane.js";
import { plainMarkdown, type RenderMarkdown } from "./markdown.js";
import { useProgress } from "./progress.js";
import type { Runner } from "./runner.js";
import { shownPath } from "../format.js";
import { StepList } from "./step-list.js";
import { nextStep, stepStanding, type StepStanding } from "./step-states.js";
import { useTerminalSize } from "./terminal-size.js";
import { useUi } from "./ui-state.js";
import type { Watch } from "./watch.js";

export interface AppServices {
  runner: Runner;
  doctor(): Promise<Finding[]>;
  loadMarkdown(): Promise<RenderMarkdown>;
  /** Builds an implementation before its checks; returns the compiler's message when it does not compile. */
  prepare?(impl: string): Promise<string | undefined>;
  watch?: Watch;
}

export interface AppProps {
  repo: string;
  /** The learner's implementation directory. */
  impl: string;
  /** The reference implementation directory. */
  solutions: string;
  root?: string;
  instructor?: boolean;
  progressFile: string;
  traceDir: string;
  services: AppServices;
  /** Aborted when the app must quit from outside (a signal): it then quits as if q were pressed. */
  quitSignal?: AbortSignal;
}

export function App(props: AppProps) {
  const { services } = props;
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const { progress, update: updateProgress, latest: latestProgress, saveError } = useProgress(props.progressFile);
  const [ui, update, latestUi] = useUi(() => {
    const openId = findEntry(progress.currentStep)?.id ?? INTRODUCTION_PAGE.id;
    return {
      openId,
      cursor: entryIndex(openId),
      focus: "steps",
      view: "doc",
      scroll: { doc: 0, trace: 0, solution: 0, help: 0 },
      checksScroll: 0,
      confirming: false,
      showDiff: false,
      instructor: Boolean(props.instructor),
      quitting: false,
    };
  });
  const [findings, setFindings] = useState<Finding[]>();
  const [render, setRender] = useState<RenderMarkdown>(() => plainMarkdown);
  // On the introduction or the outro, `step` is only a stand-in: nothing of it is run or shown.
  const reading = findReading(ui.openId);
  const step = findStep(ui.openId) ?? (STEPS[0] as Step);
  const activeImpl = ui.instructor ? props.solutions : props.impl;

  const [runs] = useState(
    () =>
      new CheckRuns({
        runner: services.runner,
        traceDir: props.traceDir,
        root: props.root,
        prepare: services.prepare,
        // Only the learner's own runs count as their progress.
        onFinished: (run) => {
          if (run.impl !== props.impl) return;
          const passed = run.results.filter((r) => r.status === "pass").map((r) => r.id);
          // In the order of the step's checks, not the order they happened to finish in.
          const order = services.runner.checksOf(run.stepId).map((c) => c.id);
          passed.sort((a, b) => order.indexOf(a) - order.indexOf(b));
          updateProgress((p) => ({ ...p, passed: { ...p.passed, [run.stepId]: passed } }));
        },
      }),
  );
  const views = useSyncExternalStore(runs.subscribe, runs.snapshot);
  const run = reading ? undefined : views.get(step.id);
  const running = [...views.values()].find((v) => v.outcome === "preparing" || v.outcome === "running")?.stepId;

  // First paint first: the doctor and the page renderer come after.
  useEffect(() => {
    let live = true;
    void services.doctor().then((f) => live && setFindings(f));
    void services.loadMarkdown().then((r) => live && setRender(() => r));
    return () => {
      live = false;
    };
  }, [services]);

  // Called from keys and the watcher as well as renders: reads the latest state, not a render's.
  const canRun = () => findings !== undefined && blockers(findings).length === 0 && !latestUi.current.quitting;
  const implNow = () => (latestUi.current.instructor ? props.solutions : props.impl);
  const startRun = (why?: string) => {
    // The introduction and the outro have nothing to check: opening them, saves and r run nothing.
    if (!canRun() || !findStep(latestUi.current.openId)) return;
    update({ trigger: why, checksScroll: 0 });
    void runs.start(latestUi.current.openId, implNow());
  };
  const startAll = () => {
    if (!canRun()) return;
    update({ trigger: "every step in turn", checksScroll: 0 });
    void runs.startAll(
      STEPS.map((s) => s.id),
      implNow(),
    );
  };
  const startRunRef = useRef(startRun);
  startRunRef.current = startRun;

  // Opening a step (or switching between the learner's code and the reference) runs its checks.
  useEffect(() => startRun(), [ui.openId, activeImpl, findings]);
  useEffect(() => services.watch?.(activeImpl, (file) => startRunRef.current(`saved ${file}`)), [activeImpl, services]);

  const standings = useMemo(() => {
    const map = new Map<string, StepStanding>();
    for (const s of STEPS) {
      const last = views.get(s.id);
      map.set(s.id, stepStanding(s, services.runner.checksOf(s.id).length, progress, last?.impl === props.impl ? last : undefined));
    }
    return map;
  }, [views, progress]);
  const next = (from: string) => nextStep(from, (s) => standings.get(s.id)?.state === "done");

  const doc = (reading ?? step).doc;
  const page = useMemo(() => safeReadPage(props.repo, doc), [props.repo, doc]);
  const hintsSeen = reading ? 0 : (progress.hintsSeen[step.id] ?? 0);

  const { stepsWidth, rightWidth, height, compact } = layout(columns, rows, 0);
  const reference = run !== undefined && run.impl !== props.impl;
  const checkRows = checkPaneRows(
    {
      step,
      reading,
      checks: reading ? [] : services.runner.checksOf(step.id),
      run,
      reference,
      next: next(ui.openId),
      findings: [...(findings ?? []), ...(saveError ? [{ check: "progress", severity: "warn" as const, message: saveError }] : [])],
      trigger: ui.trigger,
    },
    rightWidth - 4,
  );
  const { mainHeight, checksHeight } = layout(columns, rows, checkRows.length);
  const mainRows = mainHeight - 2;
  const content = useMainContent({
    view: ui.view,
    step,
    reading,
    page,
    hintsSeen,
    render,
    width: rightWidth - 4,
    run,
    showDiff: ui.showDiff,
    repo: props.repo,
    impl: props.impl,
    solutions: props.solutions,
  });
  const maxScroll = Math.max(content.lines.length - mainRows, 0);
  const wanted = ui.scroll[ui.view];
  const offset = Math.min(typeof wanted === "number" ? wanted : (content.hintStarts?.[wanted.hint] ?? 0), maxScroll);

  const open = (target: Entry) => {
    update({ openId: target.id, cursor: entryIndex(target.id), view: "doc", scroll: { doc: 0, trace: 0, solution: 0, help: 0 }, showDiff: false });
    updateProgress((p) => ({ ...p, currentStep: target.id }));
  };
  const revealHint = () => {
    const { openId, scroll } = latestUi.current;
    const target = findStep(openId) ?? step;
    const total = (target.id === step.id ? page : safeReadPage(props.repo, target.doc))?.hints.length ?? 0;
    const seen = latestProgress.current.hintsSeen[openId] ?? 0;
    update({ view: "doc" });
    if (seen >= total) return;
    updateProgress((p) => ({ ...p, hintsSeen: { ...p.hintsSeen, [openId]: seen + 1 } }));
    update({ scroll: { ...scroll, doc: { hint: seen } } });
  };
  const quit = () => {
    update({ quitting: true, confirming: false });
    void runs.stop().then(() => exit());
  };
  const quitRef = useRef(quit);
  quitRef.current = quit;
  useEffect(() => {
    const onAbort = () => quitRef.current();
    props.quitSignal?.addEventListener("abort", onAbort);
    return () => props.quitSignal?.removeEventListener("abort", onAbort);
  }, [props.quitSignal]);

  useInput((input, key) =>
    handleKey(input, key, {
      ui: latestUi.current,
      update,
      mainRows,
      offset,
      maxScroll,
      maxChecksScroll: Math.max(checkRows.length - (checksHeight - 2), 0),
      open,
      next: () => next(latestUi.current.openId),
      revealHint,
      rerun: () => startRun(),
      runAll: startAll,
      quit,
    }),
  );

  if (tooSmall(columns, rows)) {
    return <Text>{`Make the terminal at least ${MIN_COLUMNS}×${MIN_ROWS} (it is ${columns}×${rows}), or press q to quit.`}</Text>;
  }
  const writes = reading ? undefined : { file: shownPath(props.repo, join(activeImpl, moduleFile(step))), functions: step.functions };
  const stepList = (width: number) => (
    <StepList
      standings={standings}
      openStep={step.id}
      cursor={ui.cursor}
      running={running}
      focused={ui.focus === "steps"}
      width={width}
      height={mainHeight + checksHeight}
      writes={writes}
    />
  );
  // Narrow screens show the list over the page while a step is being chosen.
  const picking = compact && ui.focus === "steps" && ui.cursor !== entryIndex(ui.openId);
  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Header
        width={columns}
        standings={standings}
        instructor={ui.instructor}
        watching={services.watch ? activeImpl : undefined}
        repo={props.repo}
        strip={compact ? { openStep: step.id, cursor: ui.cursor, focused: ui.focus === "steps", running } : undefined}
      />
      <Box>
        {compact ? null : stepList(stepsWidth)}
        {picking ? (
          stepList(rightWidth)
        ) : (
          <Box flexDirection="column">
            <MainPane content={content} offset={offset} width={rightWidth} height={mainHeight} focused={ui.focus === "main"} />
            <CheckPane
              title={reference ? "Checks · reference solution" : "Checks"}
              rows={checkRows}
              offset={ui.checksScroll}
              width={rightWidth}
              height={checksHeight}
              focused={ui.focus === "checks"}
            />
          </Box>
        )}
      </Box>
      <Footer width={columns} onStep={!reading} notice={ui.notice} confirm={ui.confirming ? step : undefined} quitting={ui.quitting} view={ui.view} />
    </Box>
  );
}

/** The app as an element, for callers that do not compile JSX. */
export function appElement(props: AppProps) {
  return <App {...props} />;
}

function safeReadPage(repo: string, doc: string): Page | undefined {
  try {
    return readPage(repo, doc);
  } catch {
    return undefined;
  }
}
