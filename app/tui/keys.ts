/** Every key the app knows, for the help screen (?) and the footer. */
export interface KeyHelp {
  keys: string;
  does: string;
  /** Its short form in the footer, if it has a place there. */
  footer?: string;
  /** It acts on a step's checks, hints or solution: nothing to do on the introduction or the outro. */
  stepOnly?: boolean;
}

export const KEYS: KeyHelp[] = [
  { keys: "↑ ↓  j k", does: "move in the focused pane (steps, page, checks: from check to check)", footer: "↑↓ move" },
  { keys: "enter", does: "open the step under the cursor; in the checks pane, open the check under its cursor (its whole title, what it said) or close it", footer: "⏎ open" },
  { keys: "tab  shift-tab", does: "focus the next / previous pane", footer: "tab pane" },
  { keys: "space  b", does: "page down / up in the page, trace or solution" },
  { keys: "PgDn  PgUp", does: "page down / up in the page, trace or solution" },
  { keys: "g  G", does: "top / bottom of the focused pane (list, page, checks)" },
  { keys: "← →", does: "scroll code blocks and tables sideways (they are never wrapped)" },
  { keys: "h", does: "reveal the next hint (saved for next time)", footer: "h hint", stepOnly: true },
  { keys: "r", does: "run this step's checks again", footer: "r run", stepOnly: true },
  { keys: "n", does: "open the next step not done yet; after the last one, the outro (during a search: the next match)" },
  { keys: "a", does: "run the checks of every step, one after the other, then say which step to fix first (did a change break an earlier step?)" },
  { keys: "t", does: "the system calls your runtime made in the last run", footer: "t trace", stepOnly: true },
  { keys: "s", does: "the reference solution for this step (asks first); d: diff with yours", footer: "s solution", stepOnly: true },
  { keys: "i", does: "instructor mode: run the reference solution, with its trace", stepOnly: true },
  { keys: "z", does: "zoom: the focused pane takes the whole screen; z again (or esc) to go back", footer: "z zoom" },
  { keys: "/", does: "search the page (trace, solution); then n N next / previous match, esc to end", footer: "/ search" },
  { keys: "c", does: "copy the first code block on screen (or the one the search is at) to the clipboard (OSC 52: the terminal must allow it)" },
  { keys: "J", does: "join a room (the instructor's URL, then your name): your step and check results, never your code, are shared; J again leaves" },
  { keys: "e", does: "open this step's file in your editor ($VISUAL or $EDITOR); the app comes back when it closes", stepOnly: true },
  { keys: "p", does: "projector mode: high contrast (no grey text), roomier, the page the whole width; kept for next time (or: workshop --projector)" },
  { keys: "m", does: "mouse on / off: on, the wheel scrolls the pane under it and a click opens a step (Shift-drag selects text in most terminals); off, the terminal selects text" },
  { keys: "ctrl-z", does: "put the app in the background (the shell's fg brings it back)" },
  { keys: "esc", does: "back: end the search, leave the zoom, back to the page" },
  { keys: "?", does: "this help", footer: "? keys" },
  { keys: "q  ctrl-c", does: "quit (running checks are stopped and cleaned up first)", footer: "q quit" },
];

/** The footer's key hints that fit in `width` columns; "? keys" and "q quit" always stay. */
export function footerHints(width: number, onStep = true): string {
  const all = KEYS.filter((k) => k.footer && (onStep || !k.stepOnly)).map((k) => k.footer as string);
  const kept = [...all];
  const separator = "  ";
  for (let i = kept.length - 3; kept.join(separator).length > width && i >= 0; i--) kept.splice(i, 1);
  return kept.join(separator);
}
