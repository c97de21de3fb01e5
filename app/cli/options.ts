import { UserError } from "../errors.js";

/** One option: its spellings, and whether it takes a value. */
export interface OptionSpec {
  names: string[];
  value: boolean;
}

export interface Parsed {
  /** Values by the option's first (canonical) name; flags map to "true". Repeated options keep every value. */
  options: Map<string, string[]>;
  positionals: string[];
}

/**
 * Parses options that stand before the positionals. With `stopAtPositional`, everything from the
 * first positional on is left alone, so `run IMAGE CMD --flag` passes --flag to CMD as Docker does.
 */
export function parseOptions(args: string[], specs: OptionSpec[], command: string, stopAtPositional: boolean, program = "container"): Parsed {
  const options = new Map<string, string[]>();
  const positionals: string[] = [];
  const usage = [program, command].filter(Boolean).join(" ");
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      if (stopAtPositional) {
        positionals.push(...args.slice(i));
        break;
      }
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const spec = specs.find((s) => s.names.includes(name));
    if (!spec) throw new UserError(`unknown option ${name} for \`${usage}\``, `see \`${usage} --help\``);
    let value = "true";
    if (spec.value) {
      const next = inline ?? args[++i];
      if (next === undefined) throw new UserError(`option ${name} needs a value`, `see \`${usage} --help\``);
      value = next;
    }
    const key = spec.names[0]!;
    options.set(key, [...(options.get(key) ?? []), value]);
  }
  return { options, positionals };
}

export function last(parsed: Parsed, name: string): string | undefined {
  return parsed.options.get(name)?.at(-1);
}

export function all(parsed: Parsed, name: string): string[] {
  return parsed.options.get(name) ?? [];
}
