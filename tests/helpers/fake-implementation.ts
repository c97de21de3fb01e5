// A recording implementation for testing the runtime's own logic without root (youki's test
// Syscall is the model): every function of every step records its call; those named as TODOs
// throw the given NotImplemented, as the exercises do; execCommand ends the run by throwing Exec.
import { NotImplemented } from "../../app/given/todo.js";
import { STEPS, type StepFunction } from "../../app/course/steps.js";
import type { Implementation } from "../../app/runtime/contract.js";
import type { RuntimeEvent } from "../../app/runtime/events.js";

/** Thrown by the fake execCommand: the point where the real one would become the command. */
export class Exec extends Error {
  constructor(readonly argv: string[]) {
    super(`exec ${argv.join(" ")}`);
  }
}

export interface FakeImplementation {
  impl: Implementation;
  /** The functions called, in order, with their arguments. */
  calls: { func: string; args: unknown[] }[];
}

export function fakeImplementation(todos: StepFunction[] = [], answers: Partial<Record<StepFunction, (...args: never[]) => unknown>> = {}): FakeImplementation {
  const calls: FakeImplementation["calls"] = [];
  const impl: Record<string, (...args: unknown[]) => unknown> = {};
  for (const func of STEPS.flatMap((s) => s.functions) as StepFunction[]) {
    impl[func] = (...args: unknown[]) => {
      calls.push({ func, args });
      if (todos.includes(func)) throw new NotImplemented(func);
      const answer = answers[func] as ((...a: unknown[]) => unknown) | undefined;
      if (answer) return answer(...args);
      if (func === "execCommand") throw new Exec(args[0] as string[]);
      return undefined;
    };
  }
  return { impl: impl as unknown as Implementation, calls };
}

/** An event log that keeps what it is told. */
export function recordedEvents(): { emit(event: RuntimeEvent): void; events: RuntimeEvent[] } {
  const events: RuntimeEvent[] = [];
  return { emit: (event) => events.push(event), events };
}
