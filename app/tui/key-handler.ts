/** What each key does. The help screen's list is in keys.ts. */
import { useInput, type Key } from "ink";
import { useCallback } from "react";
import { findReading } from "../course/steps.js";
import { ENTRIES, entryIndex, type Entry } from "./course-entries.js";
import { useLatest } from "./latest.js";
import { searchKey } from "./search.js";
import { moveCheckCursor, toggleCheck, type CheckCursorContext } from "./check-cursor.js";
import { parseMouse, type MouseEvent } from "./mouse.js";
import { FOCUS_ORDER, type Focus, type Ui } from "./ui-state.js";

export interface KeyContext extends CheckCursorContext {
  /** The state as the previous key left it. */
  ui: Ui;
  update(change: Partial<Ui>): void;
  /** The main pane's rows, its current offset and how far it can scroll, as last drawn. */
  mainRows: number;
  offset: number;
  maxScroll: number;
  maxChecksScroll: number;
  /** What the big pane shows, as last drawn (for the search), the columns it shows of a row, and how far it scrolls sideways. */
  lines: readonly string[];
  viewWidth: number;
  hscroll: number;
  maxHscroll: number;
  open(entry: Entry): void;
  /** Where n leads: undefined once every step is done and the outro is open. */
  next(): Entry | undefined;
  revealHint(): void;
  rerun(): void;
  runAll(): void;
  quit(): void;
  /** Copies the code block in view. */
  copy(): void;
  /** A mouse report: the wheel or a click (mouse.ts). */
  mouse(event: MouseEvent): void;
  /** Ctrl-Z: hand the terminal back to the shell until it continues the app. */
  suspend(): void;
  /** Open the step's exercise file in the learner's editor. */
  edit(): void;
  /** Turn the terminal's mouse reporting off (it selects text) or on. */
  toggleMouse(): void;
  /** Projector mode on or off (kept in the progress file). */
  toggleProjector(): void;
}

/** Columns per ← or →. */
const SIDEWAYS_STEP = 8;

/** The keys that act on a step's checks, hints or solution. */
const STEP_KEYS = new Set(["h", "r", "t", "s", "d", "i", "e"]);

export function handleKey(input: string, key: Key, drawn: KeyContext): void {
  const { ui, update } = drawn;
  // Where the previous key left the pane, when it was a key that scrolled it: keys that arrive
  // together each move it, though the pane has not been drawn again in between.
  const scrolled = ui.scroll[ui.view];
  const ctx = {
    ...drawn,
    offset: typeof scrolled === "number" ? Math.min(scrolled, drawn.maxScroll) : drawn.offset,
    hscroll: Math.min(ui.hscroll, drawn.maxHscroll),
  };
  if (ui.quitting) return;
  const mouse = parseMouse(input);
  if (mouse) return ctx.mouse(mouse);
  if (ui.notice) update({ notice: undefined });
  if (key.ctrl && input === "z") return ctx.suspend();
  if (ui.confirming) {
    const yes = input === "y" || input === "Y";
    return update({ confirming: false, ...(yes ? { view: "solution", scroll: { ...ui.scroll, solution: 0 } } : {}) });
  }
  const scrollMain = (to: number) => scrollMainTo(ctx, to);
  if (key.ctrl && input === "c") return ctx.quit();
  // While a search is typed, keys are its text; once kept, n and N are its (and Esc ends it).
  if (searchKey(input, key, ctx)) return;
  if (input === "q") return ctx.quit();
  if (key.tab) {
    const index = FOCUS_ORDER.indexOf(ui.focus) + (key.shift ? -1 : 1);
    return update({ focus: FOCUS_ORDER[(index + FOCUS_ORDER.length) % FOCUS_ORDER.length] as Focus });
  }
  const up = key.upArrow || input === "k";
  const down = key.downArrow || input === "j";
  if (up || down) {
    const delta = up ? -1 : 1;
    if (ui.focus === "steps") return update({ cursor: Math.max(0, Math.min(ui.cursor + delta, ENTRIES.length - 1)) });
    if (ui.focus === "main") return scrollMain(ctx.offset + delta);
    if (ctx.checkIds.length > 0) return moveCheckCursor(ctx, ui.checkCursor + delta);
    return update({ checksScroll: Math.max(0, Math.min(ui.checksScroll + delta, ctx.maxChecksScroll)) });
  }
  if (key.leftArrow || key.rightArrow) {
    const to = ctx.hscroll + (key.leftArrow ? -SIDEWAYS_STEP : SIDEWAYS_STEP);
    return update({ hscroll: Math.max(0, Math.min(to, ctx.maxHscroll)) });
  }
  if (key.pageDown || input === " ") return scrollMain(ctx.offset + ctx.mainRows - 1);
  if (key.pageUp || input === "b") return scrollMain(ctx.offset - (ctx.mainRows - 1));
  // Top and bottom of the focused pane: the list, the page, or the checks.
  const top = key.home || input === "g";
  if (top || key.end || input === "G") {
    if (ui.focus === "steps") return update({ cursor: top ? 0 : ENTRIES.length - 1 });
    if (ui.focus === "checks" && ctx.checkIds.length > 0) return moveCheckCursor(ctx, top ? 0 : ctx.checkIds.length - 1);
    if (ui.focus === "checks") return update({ checksScroll: top ? 0 : ctx.maxChecksScroll });
    return scrollMain(top ? 0 : ctx.maxScroll);
  }
  // Enter opens the step under the cursor from any pane but the checks, where it opens the check under theirs.
  if (key.return && ui.focus === "checks" && ctx.checkIds.length > 0) return toggleCheck(ctx);
  if (key.return) return ctx.open(ENTRIES[ui.cursor] as Entry);
  // Esc goes back one thing at a time: out of the zoom, then to the page.
  if (key.escape) return update(ui.zoomed ? { zoomed: false } : { view: "doc", cursor: entryIndex(ui.openId) });
  // The introduction and the outro have no hints, checks, trace or solution: say so, do nothing.
  const reading = findReading(ui.openId);
  if (reading && STEP_KEYS.has(input)) return update({ notice: `The ${reading.title.toLowerCase()} has no checks, hints or solution: press n to open a step.` });
  switch (input) {
    case "?":
      return update({ view: ui.view === "help" ? "doc" : "help" });
    case "z":
      return update({ zoomed: !ui.zoomed });
    case "c":
      return ctx.copy();
    case "h":
      return ctx.revealHint();
    case "n": {
      const next = ctx.next();
      return next ? ctx.open(next) : update({ notice: "Every step is done, the bonus steps too: there is no next step." });
    }
    case "r":
      return ctx.rerun();
    case "a":
      return ctx.runAll();
    case "t":
      return update({ view: ui.view === "trace" ? "doc" : "trace" });
    case "s":
      return ui.view === "solution" ? update({ view: "doc" }) : update({ confirming: true });
    case "d":
      return ui.view === "solution" ? update({ showDiff: !ui.showDiff }) : undefined;
    case "i":
      return update({ instructor: !ui.instructor, view: ui.instructor ? ui.view : "trace" });
    case "e":
      return ctx.edit();
    case "m":
      return ctx.toggleMouse();
    case "p":
      return ctx.toggleProjector();
  }
}

/** Scrolls the main pane's view to line `to`, kept in range. */
export function scrollMainTo({ ui, update, maxScroll }: Pick<KeyContext, "ui" | "update" | "maxScroll">, to: number): void {
  update({ scroll: { ...ui.scroll, [ui.view]: Math.max(0, Math.min(to, maxScroll)) } });
}

/**
 * Sends each key to the handler of the last render. Ink subscribes a new handler only once React
 * has run that render's effects: a key arriving before then would reach the one before, and act
 * on a screen that is gone.
 */
export function useKeys(handler: (input: string, key: Key) => void): void {
  const latest = useLatest(handler);
  useInput(
    useCallback(
      (input: string, key: Key) => {
        for (const [one, itsKey] of splitKeys(input, key)) latest.current(one, itsKey);
      },
      [latest],
    ),
  );
}

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

const CONTROL_KEYS: Record<string, keyof Key> = { "\r": "return", "\t": "tab", "\u007f": "backspace", "\b": "backspace" };

/**
 * One input from Ink as the keys a person pressed. Ink hands over what arrived in one read as one
 * input: "jjj" when key repeat outruns the app, or Esc and the next key as Alt+key when they come
 * together. The app has no Alt bindings, so the latter is Esc, then the key.
 */
export function splitKeys(input: string, key: Key): [string, Key][] {
  // A mouse report is one event, whatever its characters.
  if (parseMouse(input)) return [[input, key]];
  const chars = [...input];
  const typed = (char: string): [string, Key] => {
    // Enter, Tab and Backspace typed ahead with other keys (a search's text and its Enter) are keys, not text.
    const control = CONTROL_KEYS[char];
    return control ? ["", { ...NO_KEY, [control]: true }] : [char, { ...NO_KEY, shift: /[A-Z]/.test(char) }];
  };
  if (key.meta && !key.escape && chars.length === 1) return [["", { ...NO_KEY, escape: true, meta: true }], typed(input)];
  const plain = !key.ctrl && !key.meta && Object.entries(key).every(([name, on]) => !on || name === "shift" || name === "eventType");
  if (plain && chars.length > 1) return chars.map(typed);
  return [[input, key]];
}
