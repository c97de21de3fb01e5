/**
 * The workshop app: the steps on the left (a strip in the header on narrow screens), the open
 * step's page (or its trace, its solution, the keys) on the right, its checks below, re-run
 * whenever a file of the implementation is saved. Everything that touches the machine comes in
 * through `services`, so tests can script it. Each concern is a hook of its own; this component
 * puts them together and lays out the screen.
 */
import { Box, Text } from "ink";
import { join } from "node:path";
import { useSyncExternalStore } from "react";
import { moduleFile } from "../course/steps.js";
import type { Finding } from "../doctor/index.js";
import { shownPath } from "../format.js";
import type { CheckRuns } from "./check-runs.js";
import { CheckPane, checkPaneRows } from "./check-pane.js";
import { CollapsedPane } from "./collapsed-pane.js";
import { courseActions } from "./course-actions.js";
import { entryIndex, nextEntry } from "./course-entries.js";
import { Footer, Header } from "./frame.js";
import { handleKey, useKeys } from "./key-handler.js";
import { layout, MIN_COLUMNS, MIN_ROWS, PAGE_COLUMNS, tooSmall } from "./layout.js";
import { useLatest } from "./latest.js";
import { useLoaded } from "./loaded.js";
import { MainPane, useMainContent } from "./main-pane.js";
import type { RenderMarkdown } from "../terminal/markdown.js";
import { usePageView } from "./page-state.js";
import { savedScroll } from "./scroll-memory.js";
import { searchStatus } from "./search.js";
import { useOpenEntry } from "./open-entry.js";
import { overview } from "./overview.js";
import { useProgress, useRecordedPasses } from "./progress.js";
import { useQuit } from "./quit.js";
import { useRoomLink } from "./room-link.js";
import { useRunTriggers } from "./run-triggers.js";
import { useStandings } from "./standings.js";
import { StepList } from "./step-list.js";
import { unfinished } from "./step-states.js";
import { useTerminalSize } from "./terminal-size.js";
import { useUi } from "./ui-state.js";
import type { TypeChecks } from "./type-checks.js";
import type { Watch } from "./watch.js";

export interface AppServices {
  /** The runs of the checks, one at a time. */
  checks: CheckRuns;
  /** The type checks of the learner's implementation, made beside the runs. */
  types: TypeChecks;
  doctor(): Promise<Finding[]>;
  loadMarkdown(): Promise<RenderMarkdown>;
  watch?: Watch;
  /** Puts text on the clipboard (of the terminal: OSC 52). */
  clipboard?(text: string): void;
}

export interface AppProps {
  repo: string;
  /** The learner's implementation directory. */
  impl: string;
  /** The reference implementation directory. */
  solutions: string;
  instructor?: boolean;
  progressFile: string;
  services: AppServices;
  /** Aborted when the app must quit from outside (a signal): it then quits as if q were pressed. */
  quitSignal?: AbortSignal;
}

export function App({ repo, impl, solutions, instructor, progressFile, services, quitSignal }: AppProps) {
  const { checks, types } = services;
  const { columns, rows } = useTerminalSize();
  const { progress, update: updateProgress, latest: latestProgress, saveError } = useProgress(progressFile);
  const [ui, update, latestUi] = useUi(progress.currentStep, Boolean(instructor), savedScroll(progress, progress.currentStep));
  // First paint first: the doctor and the page renderer come after (the page has a placeholder until then).
  const findings = useLoaded(services.doctor);
  const render = useLoaded(services.loadMarkdown);
  const views = useSyncExternalStore(checks.subscribe, checks.snapshot);
  const typeCheck = useSyncExternalStore(types.subscribe, types.snapshot);
  useRecordedPasses(checks, impl, updateProgress);
  const { rerun, runAll } = useRunTriggers({ checks, types, ui, latestUi, update, impl, solutions, findings, watch: services.watch });
  const standings = useStandings(checks, views, progress, impl);
  const { entry, step, page } = useOpenEntry(repo, ui.openId);
  const room = useRoomLink({ repo, impl, checks, progress, updateProgress });

  const activeImpl = ui.instructor ? solutions : impl;
  const run = step && views.get(step.id);
  const running = [...views.values()].find((v) => v.outcome === "preparing" || v.outcome === "running")?.stepId;
  const next = (from: string) => nextEntry(from, (s) => standings.get(s.id)?.state === "done");
  const reference = run !== undefined && run.impl !== impl;

  const { stepsWidth, rightWidth, height, compact } = layout(columns, rows, 0);
  // Zoomed, the focused pane has the screen but the footer.
  const zoomed = (pane: typeof ui.focus) => ui.zoomed && ui.focus === pane;
  const checkRows = checkPaneRows(
    {
      entry,
      checks: step ? checks.checksOf(step.id) : [],
      run,
      reference,
      // The learner's code's: not beside the reference's checks.
      types: !reference && activeImpl === impl && typeCheck?.impl === impl ? typeCheck : undefined,
      next: next(ui.openId),
      unfinished: unfinished(standings),
      findings: [...(findings ?? []), ...(saveError ? [{ check: "progress", severity: "warn" as const, message: saveError }] : [])],
      trigger: ui.trigger,
      overview: ui.overview ? overview(ui.openId, views) : undefined,
    },
    (zoomed("checks") ? columns : rightWidth) - 4,
  );
  // Reading a step's page, its checks take one line; a page without checks keeps its pane, as tall as its sentence or two on where to go next.
  const reading = ui.focus === "main" && step !== undefined;
  const { mainHeight, checksHeight } = layout(columns, rows, checkRows.length, reading ? "line" : ui.focus === "main" ? "fit" : "full");
  const mainBox = zoomed("main") ? { width: columns, height: height - 1 } : { width: rightWidth, height: mainHeight };
  const mainRows = mainBox.height - 2;
  const viewWidth = mainBox.width - 4;
  const content = useMainContent({
    view: ui.view,
    entry,
    page,
    hintsSeen: step ? (progress.hintsSeen[step.id] ?? 0) : 0,
    render,
    width: Math.min(viewWidth, PAGE_COLUMNS),
    run,
    showDiff: ui.showDiff,
    repo,
    impl,
    solutions,
  });
  const { offset, maxScroll, hscroll, maxHscroll, matches, place, copy } = usePageView({ ui, update, content, rows: mainRows, width: viewWidth, clipboard: services.clipboard });
  // Where the open page is, as last drawn, is saved on leaving it.
  const latestPlace = useLatest(place);
  const { open, revealHint, rememberPlace } = courseActions({ repo, latestUi, update, latestProgress, updateProgress, place: () => latestPlace.current });
  const quit = useQuit(checks, update, quitSignal, rememberPlace);

  useKeys((input, key) =>
    // The room's J and prompt, unless a question of the app's own, or a search being typed, is waiting for its answer.
    (!latestUi.current.confirming && !latestUi.current.quitting && !latestUi.current.search?.typing && room.handleKey(input, key)) ||
    handleKey(input, key, {
      ui: latestUi.current,
      update,
      mainRows,
      offset,
      maxScroll,
      maxChecksScroll: Math.max(checkRows.length - ((zoomed("checks") ? height - 1 : checksHeight) - 2), 0),
      lines: content.lines,
      viewWidth,
      hscroll,
      maxHscroll,
      copy,
      open,
      next: () => next(latestUi.current.openId),
      revealHint,
      rerun,
      runAll,
      quit,
    }),
  );

  if (tooSmall(columns, rows)) {
    return <Text>{`Make the terminal at least ${MIN_COLUMNS}×${MIN_ROWS} (it is ${columns}×${rows}), or press q to quit.`}</Text>;
  }
  const writes = step && { file: shownPath(repo, join(activeImpl, moduleFile(step))), functions: step.functions };
  const stepList = (width: number, listHeight = mainHeight + checksHeight) => (
    <StepList
      standings={standings}
      openId={ui.openId}
      cursor={ui.cursor}
      running={running}
      focused={ui.focus === "steps"}
      width={width}
      height={listHeight}
      writes={writes}
    />
  );
  const mainPane = (
    <MainPane
      content={content}
      view={{ offset, hscroll, matches, current: ui.search?.current }}
      width={mainBox.width}
      height={mainBox.height}
      focused={ui.focus === "main"}
    />
  );
  const checksTitle = reference ? "Checks · reference solution" : "Checks";
  const checkPane = (width: number, paneHeight: number) => (
    <CheckPane title={checksTitle} rows={checkRows} offset={ui.checksScroll} width={width} height={paneHeight} focused={ui.focus === "checks"} />
  );
  const footer = (
    <Footer
      width={columns}
      onStep={step !== undefined}
      notice={room.prompt ?? ui.notice}
      confirm={ui.confirming ? step : undefined}
      quitting={ui.quitting}
      view={ui.view}
      status={ui.search && (ui.search.typing || matches.length > 0) ? searchStatus(ui.search, matches.length) : undefined}
      zoomed={ui.zoomed}
    />
  );
  if (ui.zoomed) {
    return (
      <Box flexDirection="column" width={columns} height={height}>
        {ui.focus === "main" ? mainPane : ui.focus === "checks" ? checkPane(columns, height - 1) : stepList(columns, height - 1)}
        {footer}
      </Box>
    );
  }
  // Narrow screens show the list over the page while a step is being chosen.
  const picking = compact && ui.focus === "steps" && ui.cursor !== entryIndex(ui.openId);
  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Header
        width={columns}
        standings={standings}
        instructor={ui.instructor}
        watching={services.watch ? activeImpl : undefined}
        repo={repo}
        room={room.badge}
        strip={compact ? { openId: ui.openId, cursor: ui.cursor, focused: ui.focus === "steps", running } : undefined}
      />
      <Box>
        {compact ? null : stepList(stepsWidth)}
        {picking ? (
          stepList(rightWidth)
        ) : (
          <Box flexDirection="column">
            {mainPane}
            {reading ? <CollapsedPane title={checksTitle} rows={checkRows} width={rightWidth} /> : checkPane(rightWidth, checksHeight)}
          </Box>
        )}
      </Box>
      {footer}
    </Box>
  );
}

/** The app as an element, for callers that do not compile JSX. */
export function appElement(props: AppProps) {
  return <App {...props} />;
}
