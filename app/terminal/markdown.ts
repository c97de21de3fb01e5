/**
 * The course pages and hints, styled for the terminal, for the app's panes and `workshop hint`:
 * marked-terminal draws headings, lists, tables and highlighted code; we join soft line breaks
 * first (the pages are wrapped at ~100 columns in the source, the panes are narrower) and wrap to
 * the width ourselves (wrap.ts).
 *
 * marked-terminal and its highlighter take ~150 ms to load, so they are imported on first use,
 * after the app's first screen is drawn; until then `plainMarkdown` shows the page as written.
 */
import type { MarkedExtension, Tokens } from "marked";
import { stripVTControlCharacters } from "node:util";
import { colorDisabled } from "../format.js";
import { wrapLines } from "./wrap.js";

/** Renders a page into screen rows of at most `width` columns. */
export type RenderMarkdown = (markdown: string, width: number) => string[];

export function plainMarkdown(markdown: string, width: number): string[] {
  return wrapLines(markdown, width);
}

let loading: Promise<RenderMarkdown> | undefined;

export function loadMarkdown(): Promise<RenderMarkdown> {
  loading ??= (async () => {
    const [{ Marked }, { markedTerminal }, { default: chalk }] = await Promise.all([
      import("marked"),
      import("marked-terminal"),
      import("chalk"),
    ]);
    const instances = new Map<number, InstanceType<typeof Marked>>();
    const noColor = colorDisabled();
    return (markdown, width) => {
      let marked = instances.get(width);
      if (!marked) {
        marked = new Marked(
          markedTerminal({
            width,
            reflowText: false,
            tab: 2,
            emoji: false,
            codespan: chalk.yellow,
            code: chalk.yellow,
            // One line per row, headings bold: a table takes the rows it has, not twice as many.
            tableOptions: {
              style: { head: ["bold"], border: ["gray"] },
              chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
            },
          }),
          fixes(width, chalk),
        );
        instances.set(width, marked);
      }
      const out = marked.parse(markdown, { async: false });
      const lines = wrapLines(noColor ? stripVTControlCharacters(out) : out, width);
      // Blank rows around the page are marked-terminal's section spacing, not the author's.
      while (lines.length > 0 && stripVTControlCharacters(lines.at(-1) ?? "").trim() === "") lines.pop();
      while (lines.length > 0 && stripVTControlCharacters(lines[0] ?? "").trim() === "") lines.shift();
      return lines;
    };
  })();
  return loading;
}

/** Where marked-terminal 7 falls short with marked 15, and what the panes need. */
function fixes(width: number, chalk: typeof import("chalk").default): MarkedExtension {
  return {
    // A line break inside a paragraph is only the source's wrapping: make it a space.
    walkTokens(token) {
      if (token.type === "text" || token.type === "escape") token.text = token.text.replace(/\n/g, " ");
    },
    renderer: {
      // Levels told apart without "#" prefixes: the title underlined, sections in colour, the rest bold.
      heading(token: Tokens.Heading) {
        const text = this.parser.parseInline(token.tokens);
        const style = token.depth === 1 ? chalk.bold.cyan.underline : token.depth === 2 ? chalk.bold.cyan : chalk.bold;
        return `${style(text)}\n\n`;
      },
      // Items of tight lists arrive as block text tokens whose inline tokens marked-terminal ignores.
      text(token) {
        return "tokens" in token && token.tokens ? this.parser.parseInline(token.tokens) : false;
      },
      // Plain text and address: terminal hyperlinks confuse width counting, and a projector shows neither.
      link(token: Tokens.Link) {
        const text = this.parser.parseInline(token.tokens);
        return text === token.href ? chalk.blue(text) : `${chalk.blue(text)} ${chalk.dim(`(${token.href})`)}`;
      },
      hr() {
        return `${chalk.dim("─".repeat(width))}\n\n`;
      },
    },
  };
}
