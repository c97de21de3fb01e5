/**
 * Terminal hyperlinks (OSC 8): a link's text is clickable and its address need not be shown.
 * Decided conservatively, as a terminal that does not know the sequence may print it: only on a
 * terminal known to draw them, never without colour (NO_COLOR, TERM=dumb) nor inside tmux or
 * screen (tmux passes them on only when told the outer terminal can: `terminal-features`).
 * FORCE_HYPERLINK=1 (or 0) overrides, as the supports-hyperlinks package reads it.
 */

export function supportsHyperlinks(env: NodeJS.ProcessEnv = process.env, isTTY = Boolean(process.stdout.isTTY)): boolean {
  if (env.FORCE_HYPERLINK !== undefined) return env.FORCE_HYPERLINK !== "0" && env.FORCE_HYPERLINK !== "false";
  const term = env.TERM ?? "";
  if (!isTTY || env.NO_COLOR || term === "dumb" || env.CI) return false;
  if (env.TMUX || env.STY || /^(screen|tmux)/.test(term)) return false;
  const version = (value: string | undefined) => Number.parseInt(value ?? "", 10) || 0;
  switch (env.TERM_PROGRAM) {
    case "iTerm.app":
      return version(env.TERM_PROGRAM_VERSION) >= 3;
    case "WezTerm":
    case "ghostty":
    case "vscode":
      return true;
  }
  if (version(env.VTE_VERSION) >= 5000) return true; // GNOME Terminal, Tilix... (VTE 0.50)
  return Boolean(env.WT_SESSION || env.KITTY_WINDOW_ID) || ["xterm-kitty", "foot", "wezterm", "alacritty"].includes(term);
}

/**
 * `text` as a link to `url`, BEL-terminated, which Node's stripVTControlCharacters and wrap-ansi
 * both read. Node reads only some characters in the address (letters, digits, -/#&.:=?%@~_):
 * the others are percent-encoded, or the rows' widths would be counted wrong.
 */
export function hyperlink(url: string, text: string): string {
  const safe = url.replace(/[^-\w/#&.:=?%@~]/g, (c) => [...Buffer.from(c)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join(""));
  return `\u001b]8;;${safe}\u0007${text}\u001b]8;;\u0007`;
}
