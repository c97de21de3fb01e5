// How the runtime calls the implementation's functions, in the runtime and in the init process
// alike: the same rules for a function still a TODO (stop, or go on without it, said once) and
// for one that fails (name it, keep the program's own stderr), each also told on the event log.
import { docFor, readAbout, stepIdOf as stepId, stepOf, type StepFunction } from "../course/steps.js";
import { UserError } from "../errors.js";
import type { EventLog } from "./events.js";
import { isNotImplemented, notDone, notStarted } from "./not-implemented.js";

export interface StepCalls {
  /** A function the run cannot do without: a TODO stops the run with one line naming it. */
  required<T>(func: StepFunction, run: () => T): T;
  /**
   * A function the run goes on without while it is a TODO: returns whether it ran. `without`
   * says, once, what the container lacks then; undefined says nothing (the learner sees no change).
   */
  optional(func: StepFunction, without: string | undefined, run: () => void): boolean;
  /** A function an option the user gave needs (`-v`, `--pivot-root`): a TODO stops the run, naming the option. */
  neededFor(option: string, func: StepFunction, run: () => void): void;
}

export function stepCalls(events: EventLog, warn: (line: string) => void): StepCalls {
  const call = <T>(func: StepFunction, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (isNotImplemented(error) || error instanceof UserError) throw error;
      throw failed(func, error);
    }
  };

  const failed = (func: StepFunction, error: unknown): UserError => {
    const message = error instanceof Error ? error.message : String(error);
    const command = commandOf(error);
    events.emit({ event: "failed", step: stepId(func), func, message, ...command });
    const step = stepOf(func);
    return new UserError(`${func}() failed: ${message}`, step ? `it is in ${step.module}.ts of your implementation; see ${docFor(step, func)}` : undefined, 125, { cause: error });
  };

  const stop = (func: string, error: unknown): UserError => {
    const todo = isNotImplemented(error) ? error.func : func;
    events.emit({ event: "todo", step: stepId(todo), func: todo });
    return notStarted(todo, error);
  };

  return {
    required(func, run) {
      try {
        return call(func, run);
      } catch (error) {
        throw isNotImplemented(error) ? stop(func, error) : error;
      }
    },
    optional(func, without, run) {
      try {
        call(func, run);
        return true;
      } catch (error) {
        if (!isNotImplemented(error)) throw error;
        events.emit({ event: "skipped", step: stepId(error.func), func: error.func, ...(without ? { without } : {}) });
        if (without) warn(`${notDone(error.func).what} (${error.func}): ${without}`);
        return false;
      }
    },
    neededFor(option, func, run) {
      try {
        call(func, run);
      } catch (error) {
        if (!isNotImplemented(error)) throw error;
        events.emit({ event: "todo", step: stepId(error.func), func: error.func });
        const { what, doc } = notDone(error.func);
        throw new UserError(`${what}: ${error.func}() is still a TODO, so ${option} cannot work`, `read ${doc}, or run without ${option}`, 125, { cause: error });
      }
    },
  };
}

/**
 * What the implementation's `func` did would put the host at risk, or break the container: told on
 * the event channel, and thrown as one line with the fix and where to read about it.
 */
export function refuse(events: EventLog, func: StepFunction, message: string, hint: string): never {
  events.emit({ event: "failed", step: stepId(func), func, message });
  throw new UserError(`${message}: refusing to start the command`, `${hint} (${readAbout(func)})`);
}

/** The program and its own stderr, when the failure was a command the implementation ran (#given's CommandFailed). */
function commandOf(error: unknown): { command?: string[]; stderr?: string } {
  if (!(error instanceof Error) || error.name !== "CommandFailed") return {};
  const { command, stderr } = error as Error & { command?: unknown; stderr?: unknown };
  return Array.isArray(command) && typeof stderr === "string" ? { command: command.map(String), stderr } : {};
}
