/**
 * The reference code for a step: its functions from solutions/, with the imports and the
 * module's own helpers they use, and the diff between the learner's module and the reference.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Step } from "../course/steps.js";

export interface ModuleSolution {
  /** The reference module, e.g. /…/solutions/rootfs.ts */
  file: string;
  code: string;
}

export function stepSolution(solutions: string, step: Step): ModuleSolution[] {
  return step.modules.map((module) => {
    const file = join(solutions, module);
    return { file, code: extractFunctions(readFileSync(file, "utf8"), step.functions) };
  });
}

interface Statement {
  name?: string;
  exported: boolean;
  isImport: boolean;
  text: string;
}

/**
 * The named top-level functions of a TypeScript module, in file order, with its imports and the
 * non-exported declarations they use (transitively), each with the comment above it.
 */
export function extractFunctions(source: string, names: string[]): string {
  const statements = topLevelStatements(source);
  const wanted = new Set(names);
  // Pull in helpers until nothing new is referenced.
  for (let grew = true; grew; ) {
    grew = false;
    const chosen = statements.filter((s) => s.name && wanted.has(s.name)).map((s) => s.text).join("\n");
    for (const s of statements) {
      if (s.name && !s.exported && !wanted.has(s.name) && new RegExp(`\\b${s.name}\\b`).test(chosen)) {
        wanted.add(s.name);
        grew = true;
      }
    }
  }
  const imports = statements.filter((s) => s.isImport).map((s) => s.text);
  const bodies = statements.filter((s) => s.name && wanted.has(s.name)).map((s) => s.text);
  return [imports.join("\n"), ...bodies].filter(Boolean).join("\n\n");
}

const DECLARATION = /^(export\s+)?(?:default\s+)?(?:async\s+)?(?:function\*?|const|let|var|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/;

/** Splits a module into its top-level statements, by bracket depth outside strings and comments. */
function topLevelStatements(source: string): Statement[] {
  const statements: Statement[] = [];
  let lines: string[] = [];
  let depth = 0;
  let mode: "code" | "block-comment" | "template" = "code";
  const templateDepths: number[] = [];
  for (const line of source.split("\n")) {
    if (lines.length === 0 && depth === 0 && mode === "code" && line.trim() === "") continue;
    lines.push(line);
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (mode === "block-comment") {
        if (c === "*" && line[i + 1] === "/") (mode = "code"), i++;
      } else if (mode === "template") {
        if (c === "\\") i++;
        else if (c === "`") mode = "code";
        else if (c === "$" && line[i + 1] === "{") (templateDepths.push(depth), depth++, (mode = "code"), i++);
      } else if (c === "/" && line[i + 1] === "/") break;
      else if (c === "/" && line[i + 1] === "*") (mode = "block-comment"), i++;
      else if (c === '"' || c === "'") {
        for (i++; i < line.length && line[i] !== c; i++) if (line[i] === "\\") i++;
      } else if (c === "`") mode = "template";
      else if (c === "{" || c === "(" || c === "[") depth++;
      else if (c === "}" || c === ")" || c === "]") {
        depth--;
        if (templateDepths.at(-1) === depth) (templateDepths.pop(), (mode = "template"));
      }
    }
    const text = lines.join("\n");
    const code = text.replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, "").trim();
    if (depth === 0 && mode === "code" && code !== "") {
      const match = DECLARATION.exec(code);
      statements.push({ name: match?.[2], exported: Boolean(match?.[1]), isImport: code.startsWith("import "), text });
      lines = [];
    }
  }
  return statements;
}

/** `diff -u` of the learner's module against the reference; empty when they are the same. */
export function moduleDiff(repo: string, learnerFile: string, solutionFile: string): Promise<string> {
  const label = (file: string) => shownPath(repo, file);
  return new Promise((resolve, reject) => {
    execFile("diff", ["-u", "--label", label(learnerFile), "--label", label(solutionFile), learnerFile, solutionFile], (error, stdout, stderr) => {
      // diff exits 1 when the files differ, 2 on trouble.
      if (error && error.code !== 1) reject(new Error(stderr.trim() || error.message));
      else resolve(stdout);
    });
  });
}

/** A path as people see it: relative to the repository when inside it. */
export function shownPath(repo: string, file: string): string {
  const rel = relative(repo, file);
  return rel.startsWith("..") ? file : rel;
}
