/**
 * The course pages and hints, styled for the terminal, for the app's panes and `workshop hint`:
 * marked-terminal draws headings, lists, tables and highlighted code; we join soft line breaks
 * first (the pages are wrapped at ~100 columns in the source, the panes are narrower) and wrap
 * prose to the width ourselves (wrap.ts). Code blocks and tables are never wrapped: a wrapped line
 * of code or a folded table reads wrong (and a diff line loses its -/+), so they keep their own
 * width and the app scrolls them sideways. Nor is a word split: a URL longer than the width
 * stands whole on a row of its own.
 *
 * marked-terminal and its highlighter take ~150 ms to load, so they are imported on first use,
 * after the app's first screen is drawn (the app shows a placeholder until then).
 */
import type { MarkedExtension, Tokens } from "marked";
import { stripVTControlCharacters } from "node:util";
import { colorDisabled } from "../format.js";
import { hyperlink, supportsHyperlinks } from "./hyperlinks.js";
import { wrapLines } from "./wrap.js";

/** Rows drawn to their own width, never wrapped: a code block or a table. */
export interface Block {
  /** Its first row, and the row after its last. */
  start: number;
  end: number;
  /** A code block's code as written (no colour, no indent): what copying it gives. */
  code?: string;
}

/** A page as screen rows: prose at most `width` columns, blocks as wide as they are. */
export interface Rendered {
  lines: string[];
  blocks: Block[];
}

export type RenderMarkdown = (markdown: string, width: number) => Rendered;

/** `b` after `a`: its rows and blocks follow a's. */
export function appendRendered(a: Rendered, b: Rendered): void {
  const shift = a.lines.length;
  a.lines.push(...b.lines);
  a.blocks.push(...b.blocks.map((block) => ({ ...block, start: block.start + shift, end: block.end + shift })));
}

// Put before each line of a code block, so that its rows can be found in marked-terminal's output
// (a private-use character: no page has one, and the highlighter leaves it alone).
const CODE_ROW = "\uE000";
// Tables are drawn by cli-table3 with box-drawing borders.
const TABLE_ROW = /^\s*[┌│├└]/;

const loading = new Map<boolean, Promise<RenderMarkdown>>();

/** `hyperlinks`: links as OSC 8 hyperlinks, their address not shown (by default, if the terminal draws them). */
export function loadMarkdown({ hyperlinks = supportsHyperlinks() }: { hyperlinks?: boolean } = {}): Promise<RenderMarkdown> {
  const loaded = loading.get(hyperlinks) ?? load(hyperlinks);
  loading.set(hyperlinks, loaded);
  return loaded;
}

function load(hyperlinks: boolean): Promise<RenderMarkdown> {
  return (async () => {
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
          fixes(width, chalk, hyperlinks),
        );
        instances.set(width, marked);
      }
      const out = marked.parse(markdown, { async: false });
      const rows = (noColor ? stripVTControlCharacters(out) : out).split("\n");
      // Blank rows around the page are marked-terminal's section spacing, not the author's.
      const blank = (row: string | undefined) => stripVTControlCharacters(row ?? "").trim() === "";
      while (rows.length > 0 && blank(rows.at(-1))) rows.pop();
      while (rows.length > 0 && blank(rows[0])) rows.shift();
      return layOut(rows, width);
    };
  })();
}

/** Prose wrapped to `width`, every word whole; the rows of code blocks and tables as they are, each run of them a block. */
function layOut(rows: string[], width: number): Rendered {
  const page: Rendered = { lines: [], blocks: [] };
  let block: { start: number; code?: string[] } | undefined;
  const close = () => {
    if (block) page.blocks.push({ start: block.start, end: page.lines.length, ...(block.code ? { code: block.code.join("\n") } : {}) });
    block = undefined;
  };
  for (const row of rows) {
    const plain = stripVTControlCharacters(row);
    const code = plain.indexOf(CODE_ROW);
    const kind = code >= 0 ? "code" : TABLE_ROW.test(plain) ? "table" : undefined;
    if (!kind || (block && (block.code !== undefined) !== (kind === "code"))) close();
    if (!kind) {
      page.lines.push(...wrapLines(row, width, undefined, { wholeWords: true }));
      continue;
    }
    block ??= { start: page.lines.length, ...(kind === "code" ? { code: [] } : {}) };
    block.code?.push(plain.slice(code + 1).replace(/\s+$/, ""));
    page.lines.push(row.replace(CODE_ROW, "").replace(/\s+$/, ""));
  }
  close();
  return page;
}

/** Where marked-terminal 7 falls short with marked 15, and what the panes need. */
function fixes(width: number, chalk: typeof import("chalk").default, hyperlinks: boolean): MarkedExtension {
  return {
    walkTokens(token) {
      // A line break inside a paragraph is only the source's wrapping: make it a space.
      if (token.type === "text" || token.type === "escape") token.text = token.text.replace(/\n/g, " ");
      if (token.type === "code") token.text = token.text.split("\n").map((line: string) => CODE_ROW + line).join("\n");
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
      // A hyperlink where the terminal draws them; elsewhere the text and the address, to read or copy.
      link(token: Tokens.Link) {
        const text = this.parser.parseInline(token.tokens);
        if (hyperlinks) return hyperlink(token.href, chalk.blue.underline(text));
        return text === token.href ? chalk.blue(text) : `${chalk.blue(text)} ${chalk.dim(`(${token.href})`)}`;
      },
      hr() {
        return `${chalk.dim("─".repeat(width))}\n\n`;
      },
    },
  };
}
