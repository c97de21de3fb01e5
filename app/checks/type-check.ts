/**
 * Type-checking a learner's implementation against the contract, as `npm run typecheck` does for
 * exercises/ (exercises/tsconfig.json), for any implementation directory: its modules and the
 * runtime's binding of them (app/runtime/implementation.ts), with `#impl/*` pointing at it. The
 * checks run whatever the result (esbuild does not type-check); the errors are shown beside them.
 *
 * A checker is meant to be kept: the app holds one per implementation, and each check after the
 * first reuses the parsed files that did not change (the standard library's and Node's types are
 * most of the work) and the diagnostics of the files that neither changed nor depend on one that
 * did (a builder program), so that a save is checked in a fraction of the first check's time.
 */
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import type * as TS from "typescript";
import { IMPL_MODULES } from "../course/step-table.mjs";

export interface TypeError {
  /** Relative to the repository when inside it: "exercises/cgroups.ts". */
  file: string;
  line: number;
  column: number;
  message: string;
}

const BINDING = "app/runtime/implementation.ts";
// The binding's lines name the module they bind: `cgroups: cgroupsModule,`.
const BOUND_MODULE = /^\s*"?([\w-]+)"?:\s*\w+Module,?\s*$/;

let typescript: typeof TS | undefined;
/** TypeScript is loaded on the first check only: most commands never need its 9 MB. */
function loadTypeScript(repo: string): typeof TS {
  typescript ??= createRequire(join(repo, "package.json"))("typescript") as typeof TS;
  return typescript;
}

export class TypeChecker {
  private builder: TS.SemanticDiagnosticsBuilderProgram | undefined;
  private compilerOptions: TS.CompilerOptions | undefined;
  private readonly parsed = new Map<string, { mtimeMs: number; file: TS.SourceFile }>();

  constructor(
    private readonly repo: string,
    private readonly impl: string,
  ) {}

  /** The type errors of the implementation now, in file order; empty when it fits the contract. */
  check(): TypeError[] {
    const ts = loadTypeScript(this.repo);
    // The repository's tsconfig, read once: a save changes the implementation, not the options.
    const options = (this.compilerOptions ??= this.options(ts));
    // Gives each file the hash of its text as its version: what the builder compares between checks.
    const host = ts.createIncrementalCompilerHost(options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, language, onError) => {
      const mtimeMs = mtimeOf(fileName);
      const known = this.parsed.get(fileName);
      if (known && known.mtimeMs === mtimeMs) return known.file;
      const file = read(fileName, language, onError);
      if (file && mtimeMs !== undefined) this.parsed.set(fileName, { mtimeMs, file });
      return file;
    };
    const roots = [...IMPL_MODULES.map((m) => join(this.impl, `${m}.ts`)), join(this.repo, BINDING)];
    const builder = ts.createSemanticDiagnosticsBuilderProgram(roots, options, host, this.builder);
    this.builder = builder;
    // What getPreEmitDiagnostics gives, the semantic ones from the builder's cache where it can.
    return [...builder.getOptionsDiagnostics(), ...builder.getGlobalDiagnostics(), ...builder.getSyntacticDiagnostics(), ...builder.getSemanticDiagnostics()]
      .filter((d) => d.file && (d.file.fileName.startsWith(`${this.impl}/`) || d.file.fileName === join(this.repo, BINDING)))
      .map((d) => this.describe(ts, d))
      .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  }

  /** The repository's compiler options, with every alias resolved for a directory anywhere. */
  private options(ts: typeof TS): TS.CompilerOptions {
    const file = join(this.repo, "tsconfig.json");
    const config = ts.parseJsonConfigFileContent(ts.readConfigFile(file, ts.sys.readFile).config, ts.sys, this.repo);
    const paths = {
      "#impl/*": [join(this.impl, "*.ts")],
      "#given": [join(this.repo, "app/given/index.ts")],
      "#native": [join(this.repo, "native/index.ts")],
      "#contract": [join(this.repo, "app/runtime/contract.ts")],
    };
    // Resolved as esbuild bundles it (an implementation directory may be outside any package.json
    // that says "type": "module", where NodeNext would take its files for CommonJS).
    const bundled = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
    return { ...config.options, ...bundled, paths, noEmit: true, allowImportingTsExtensions: true };
  }

  private describe(ts: typeof TS, d: TS.Diagnostic): TypeError {
    const file = d.file!;
    const { line, character } = file.getLineAndCharacterOfPosition(d.start ?? 0);
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n").split("\n").map((l) => l.trim());
    if (file.fileName !== join(this.repo, BINDING)) return { file: this.shown(file.fileName), line: line + 1, column: character + 1, message: message.join(" ") };
    // A module that does not fit the contract is reported by the binding: say which module, and why.
    const module = BOUND_MODULE.exec(file.text.split("\n")[line] ?? "")?.[1];
    const where = module ? join(this.impl, `${module}.ts`) : file.fileName;
    return { file: this.shown(where), line: 1, column: 1, message: `does not fit the contract: ${message.slice(1).join(" ") || message[0]}` };
  }

  private shown(file: string): string {
    const rel = relative(this.repo, file);
    return rel.startsWith("..") ? file : rel;
  }
}

function mtimeOf(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** "exercises/cgroups.ts:12:3 Type 'string' is not assignable to type 'number'." */
export function formatTypeError(error: TypeError): string {
  return `${error.file}:${error.line}:${error.column} ${error.message}`;
}
