/** Colour on or off, and styled text made plain: shared by the app and the `workshop` command. */

/** NO_COLOR (https://no-color.org): any non-empty value turns colour off. */
export function colorDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.NO_COLOR);
}

/** Removes colour and style escapes, for text rendered by libraries that colour on their own. */
export function stripStyles(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}
