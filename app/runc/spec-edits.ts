// The edits `workshop runc` makes to the config.json that `runc spec` writes: the image's root
// filesystem (read-only, so runc never writes into the store), the command, and what the learner
// asks for by field name, so a page can show one field of the OCI runtime spec at work.
import { UserError } from "../errors.js";

export type Spec = Record<string, unknown>;

export interface SpecEdits {
  rootfs: string;
  args: string[];
  /** The image's environment (its config's Env); runc's default PATH and TERM otherwise. */
  env?: string[];
  /** `FIELD=JSON` assignments, e.g. `linux.resources.pids.limit=20`. */
  sets: string[];
  /** Bind mounts, as `{ source, destination, readOnly }`. */
  binds: { source: string; destination: string; readOnly: boolean }[];
}

export function editSpec(spec: Spec, edits: SpecEdits): Spec {
  spec.root = { path: edits.rootfs, readonly: true };
  const process = spec.process as Spec;
  process.terminal = false;
  process.args = edits.args;
  if (edits.env) process.env = edits.env;
  const mounts = spec.mounts as Spec[];
  for (const bind of edits.binds) {
    mounts.push({ destination: bind.destination, type: "bind", source: bind.source, options: ["rbind", bind.readOnly ? "ro" : "rw"] });
  }
  for (const assignment of edits.sets) {
    const at = assignment.indexOf("=");
    if (at <= 0) throw new UserError(`--set ${assignment}: expected FIELD=VALUE`, "e.g. --set linux.resources.pids.limit=20", 2);
    setField(spec, assignment.slice(0, at), parseValue(assignment.slice(at + 1)));
  }
  return spec;
}

/** The value of a dotted field (`process.capabilities.bounding`), or undefined. */
export function field(spec: Spec, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => (value !== null && typeof value === "object" ? (value as Spec)[key] : undefined), spec);
}

function setField(spec: Spec, path: string, value: unknown): void {
  const keys = path.split(".");
  let object = spec;
  for (const key of keys.slice(0, -1)) {
    const next = object[key];
    if (next === undefined) object[key] = {};
    else if (next === null || typeof next !== "object" || Array.isArray(next)) throw new UserError(`--set ${path}: ${key} is not an object in config.json`, "see `runc spec` for the fields there are", 2);
    object = object[key] as Spec;
  }
  object[keys.at(-1)!] = value;
}

/** JSON where it parses (numbers, booleans, lists), the text itself otherwise. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
