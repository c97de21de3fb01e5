/**
 * The workshop app: the steps on the left (a strip in the header on narrow screens), the open
 * step's page (or its trace, its solution, the keys) on the right, its checks below, re-run
 * whenever a file of the implementation is saved. Everything that touches the machine comes in
 * through `services`, so tests can script it. Each concern is a hook of its own; this component
 * puts them together and lays out the screen.
 */
import { Box, Text } from "ink";
import { join } from "node:path";
import { useEffect, useSyncExternalStore } from "react";
import { moduleFile } from "../course/steps.js";
import type { Finding } from "../doctor/index.js";
import { setHighContrast, shownPath } from "../format.js";
import { underWay, type CheckRuns } from "./check-runs.js";
import { CheckPane, checkPaneRows } from "./check-pane.js";
import { CollapsedPane } from "./collapsed-pane.js";
import { courseActions } from "./course-actions.js";
import { entryIndex, nextEntry } from "./course-entries.js";
import { Footer, Header, stripSpans } from "./frame.js";
import { handleKey, scrollMainTo, useKeys } from "./key-handler.js";
import { layout, MIN_COLUMNS, MIN_ROWS, PAGE_COLUMNS, tooSmall } from "./layout.js";
import { useLatest } from "./latest.js";
import { useLoaded } from "./loaded.js";
import { MainPane, useMainContent } from "./main-pane.js";
import { handleMouse, type ScreenGeometry } from "./mouse.js";
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
import { useSuspend } from "./suspend.js";
import type { TerminalControl } from "./terminal-control.js";
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
  /** The terminal, when the app has one of its own: Ctrl-Z, the editor and the mouse use it. */
  terminal?: TerminalControl;
}

export interface AppProps {
  repo: string;
  /** The learner's implementation directory. */
  impl: string;
  /** The reference implementation directory. */
  solutions: string;
  instructor?: boolean;
  /** Open in projector mode, whatever the progress file says. */
  projector?: boolean;
  progressFile: string;
  services: AppServices;
  /** Aborted when the app must quit from outside (a signal): it then quits as if q were pressed. */
  quitSignal?: AbortSignal;
}

export function App({ repo, impl, solutions, instructor, projector, progressFile, services, quitSignal }: AppProps) {
  const { checks, types } = services;
  const { columns, rows } = useTerminalSize();
  const { progress, update: updateProgress, latest: latestProgress, saveError } = useProgress(progressFile);
  const [ui, update, latestUi] = useUi(progress.currentStep, Boolean(instructor), Boolean(projector || progress.projector), savedScroll(progress, progress.currentStep));
  // Before anything is drawn: every pane's secondary text follows it.
  setHighContrast(ui.projector);
  // First paint first: the doctor and the page renderer come after (the page has a placeholder until then).
  const findings = useLoaded(services.doctor);
  const render = useLoaded(services.loadMarkdown);
  const views = useSyncExternalStore(checks.subscribe, checks.snapshot);
  const typeCheck = useSyncExternalStore(types.subscribe, types.snapshot);
  useRecordedPasses(checks, impl, updateProgress);
  const { rerun, runAll } = useRunTriggers({ checks, types, ui, latestUi, update, impl, solutions, findings, watch: services.watch });
  const standings = useStandings(checks, views, progress, impl, ui.instructor ? solutions : undefined);
  const { entry, step, page } = useOpenEntry(repo, ui.openId);
  const room = useRoomLink({ repo, impl, checks, progress, updateProgress });
  const { suspend, edit } = useSuspend({ terminal: services.terminal, checks, rerun, latestUi, update, repo, impl });
  const toggleProjector = () => {
    const on = !latestUi.current.projector;
    update({ projector: on, notice: on ? "Projector mode: high contrast, roomier, the page the whole width. p again to leave it." : "Projector mode off." });
    updateProgress((p) => ({ ...p, projector: on }));
  };
  const toggleMouse = () => {
    const on = !latestUi.current.mouse;
    services.terminal?.setMouse(on);
    update({
      mouse: on,
      notice: on ? "Mouse on: wheel scrolls, click opens a step; Shift-drag selects text." : "Mouse off: drag to select text; m turns the mouse back on.",
    });
  };

  const activeImpl = ui.instructor ? solutions : impl;
  const run = step && views.get(step.id);
  const running = [...views.values()].find(underWay)?.stepId;
  const next = (from: string) => nextEntry(from, (s) => standings.get(s.id)?.state === "done");
  const reference = run !== undefined && run.impl !== impl;
  // A new run's trace opens at its top.
  useEffect(() => {
    if (run) update({ scroll: { ...latestUi.current.scroll, trace: 0 } });
  }, [run?.traceFile]);

  const { stepsWidth, rightWidth, height, compact } = layout(columns, rows, 0, { projector: ui.projector });
  // Inside a pane: its borders and its padding on each side.
  const padding = ui.projector ? 2 : 1;
  const innerOf = (width: number) => width - 2 - 2 * padding;
  const stepChecks = step ? checks.checksOf(step.id) : [];
  const checkCursor = stepChecks[Math.min(ui.checkCursor, stepChecks.length - 1)]?.id;
  // Zoomed, the focused pane has the screen but the footer.
  const zoomed = (pane: typeof ui.focus) => ui.zoomed && ui.focus === pane;
  const checkRows = checkPaneRows(
    {
      entry,
      checks: stepChecks,
      cursor: ui.focus === "checks" ? checkCursor : undefined,
      opened: new Set(ui.openedChecks),
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
    innerOf(zoomed("checks") ? columns : rightWidth),
  );
  // Reading a step's page, its checks take one line; a page without checks keeps its pane, as tall as its sentence or two on where to go next.
  const reading = ui.focus === "main" && step !== undefined;
  const { mainHeight, checksHeight } = layout(columns, rows, checkRows.length, { checks: reading ? "line" : ui.focus === "main" ? "fit" : "full", projector: ui.projector });
  const mainBox = zoomed("main") ? { width: columns, height: height - 1 } : { width: rightWidth, height: mainHeight };
  const mainRows = mainBox.height - 2;
  const viewWidth = innerOf(mainBox.width);
  const content = useMainContent({
    view: ui.view,
    entry,
    page,
    hintsSeen: step ? (progress.hintsSeen[step.id] ?? 0) : 0,
    render,
    // Prose reads best at most PAGE_COLUMNS wide; the trace's rows are records, the wider the better.
    width: ui.view === "trace" ? viewWidth : Math.min(viewWidth, PAGE_COLUMNS),
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
  const checksBoxHeight = zoomed("checks") ? height - 1 : checksHeight;
  const rowOf = (id: string) => checkRows.findIndex((row) => row.key === id);
  // The checks the pane lists (none while something blocks them): the ones its cursor moves over.
  const checkIds = stepChecks.map((c) => c.id).filter((id) => rowOf(id) >= 0);
  // Narrow screens show the list over the page while a step is being chosen.
  const picking = compact && ui.focus === "steps" && ui.cursor !== entryIndex(ui.openId);
  const geometry = screenGeometry({ ui, compact, picking, columns, height, stepsWidth, rightWidth, mainHeight, checksHeight });

  useKeys((input, key) => {
    // The room's J and prompt, unless a question of the app's own, or a search being typed, is waiting for its answer.
    if (!latestUi.current.confirming && !latestUi.current.quitting && !latestUi.current.search?.typing && room.handleKey(input, key)) return;
    const ctx = {
      ui: latestUi.current,
      update,
      mainRows,
      offset,
      maxScroll,
      maxChecksScroll: Math.max(checkRows.length - (checksBoxHeight - 2), 0),
      checkIds,
      rowOf,
      rowCount: checkRows.length,
      checksRows: checksBoxHeight - 2,
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
      suspend,
      edit,
      toggleMouse,
      toggleProjector,
    };
    handleKey(input, key, { ...ctx, mouse: (event) => handleMouse(event, { ...ctx, geometry, scrollMain: (to) => scrollMainTo(ctx, to) }) });
  });

  if (tooSmall(columns, rows)) {
    return <Text>{`Make the terminal at least ${MIN_COLUMNS}×${MIN_ROWS} (it is ${columns}×${rows}), or press q to quit.`}</Text>;
  }
  const writes = step && { label: ui.instructor ? "The reference, in" : "You write, in", file: shownPath(repo, join(activeImpl, moduleFile(step))), functions: step.functions };
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
      padding={padding}
      highContrast={ui.projector}
    />
  );
  const checksTitle = reference ? "Checks · reference solution" : "Checks";
  const checkPane = (width: number, paneHeight: number) => (
    <CheckPane title={checksTitle} rows={checkRows} offset={ui.checksScroll} width={width} height={paneHeight} focused={ui.focus === "checks"} padding={padding} />
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

interface Placement {
  ui: { openId: string; cursor: number; focus: string; zoomed: boolean };
  compact: boolean;
  picking: boolean;
  columns: number;
  height: number;
  stepsWidth: number;
  rightWidth: number;
  mainHeight: number;
  checksHeight: number;
}

/** Where the panes are on the screen, for the mouse: as laid out below, or the zoomed pane alone. */
function screenGeometry({ ui, compact, picking, columns, height, stepsWidth, rightWidth, mainHeight, checksHeight }: Placement): ScreenGeometry {
  if (ui.zoomed) {
    const whole = height - 1;
    if (ui.focus === "steps") return { list: { left: 1, top: 1, width: columns, height: whole } };
    return { right: { left: 1, top: 1, mainHeight: ui.focus === "main" ? whole : 0, checksHeight: ui.focus === "checks" ? whole : 0 } };
  }
  // Below the header: the list on the left (or over the page), the page above the checks.
  const list = { left: 1, top: 2, height: mainHeight + checksHeight };
  const strip = compact ? { row: 1, spans: stripSpans({ openId: ui.openId, cursor: ui.cursor, focused: ui.focus === "steps" }) } : undefined;
  if (picking) return { strip, list: { ...list, width: rightWidth } };
  return { strip, list: compact ? undefined : { ...list, width: stepsWidth }, right: { left: stepsWidth + 1, top: 2, mainHeight, checksHeight } };
}

/** The app as an element, for callers that do not compile JSX. */
export function appElement(props: AppProps) {
  return <App {...props} />;
}
