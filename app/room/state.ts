/**
 * The room's state: one record per learner, changed only by the messages the protocol let
 * through. Pure data and bookkeeping (no network, no files), so that the server, the dashboard and
 * the state file share it, and tests drive it directly. Each change bumps `version` and tells the
 * subscribers (React's useSyncExternalStore, the headless log).
 */
import type { LearnerMessage, LearnerSnapshot, StepResults } from "./protocol.js";
import { MAX_STEPS } from "./protocol.js";

/** More learners than any room holds: past it a new learner is refused, so memory stays bounded. */
export const MAX_LEARNERS = 500;

export interface Learner {
  id: string;
  name: string;
  step: string;
  /** When the learner opened the current step (ms since the epoch). */
  stepSince: number;
  /** The latest results of each step checked, by step id. */
  results: Record<string, StepResults>;
  done: string[];
  lastSeen: number;
  /** Open connections (the app and a `workshop check` may both be): not saved. */
  connections: number;
}

/** What happened, for the headless log: one line per change. */
export interface RoomEvent {
  at: number;
  learner: string;
  text: string;
}

export class RoomState {
  readonly learners = new Map<string, Learner>();
  version = 0;
  private readonly listeners = new Set<(event?: RoomEvent) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A learner's message, once the server has checked it; returns false when the room is full. */
  apply(learnerId: string, message: LearnerMessage): boolean {
    const now = this.now();
    let learner = this.learners.get(learnerId);
    if (message.t === "hello") {
      if (!learner && this.learners.size >= MAX_LEARNERS) return false;
      const joined = !learner;
      if (!learner) {
        learner = { id: learnerId, name: message.name, step: message.step, stepSince: now, results: {}, done: [], lastSeen: now, connections: 0 };
        this.learners.set(learnerId, learner);
      }
      if (learner.step !== message.step) Object.assign(learner, { step: message.step, stepSince: now });
      learner.name = message.name;
      this.share(learner, message);
      learner.lastSeen = now;
      this.changed(learner, joined ? `joined, on ${message.step}` : `is back, on ${message.step}`);
      return true;
    }
    if (!learner) return false;
    learner.lastSeen = now;
    switch (message.t) {
      case "step":
        if (learner.step !== message.step) Object.assign(learner, { step: message.step, stepSince: now });
        this.changed(learner, `opened ${message.step}`);
        break;
      case "checks": {
        const { t: _, ...results } = message;
        this.record(learner, results);
        const passed = message.checks.filter((c) => c.status === "pass").length;
        const failing = message.failure ? `, failing ${message.failure.check}: ${message.failure.line}` : "";
        this.changed(learner, `checked ${message.step}: ${passed}/${message.checks.length} passed${failing}`);
        break;
      }
      case "done":
        if (!learner.done.includes(message.step) && learner.done.length < MAX_STEPS) learner.done.push(message.step);
        this.changed(learner, `finished ${message.step}`);
        break;
      case "leave":
        this.learners.delete(learnerId);
        this.changed(learner, "left the room");
        break;
    }
    return true;
  }

  /** A connection of the learner's opened or closed: the dashboard shows who is connected. */
  connection(learnerId: string, delta: 1 | -1): void {
    const learner = this.learners.get(learnerId);
    if (!learner) return;
    learner.connections = Math.max(0, learner.connections + delta);
    learner.lastSeen = this.now();
    if (learner.connections === 0) this.changed(learner, "disconnected");
    else this.changed(learner);
  }

  /** The learners as the state file keeps them. */
  toJSON(): Omit<Learner, "connections">[] {
    return [...this.learners.values()].map(({ connections: _, ...saved }) => saved);
  }

  /** Puts back learners read from the state file (already checked), none connected. */
  restore(saved: Omit<Learner, "connections">[]): void {
    for (const learner of saved.slice(0, MAX_LEARNERS)) this.learners.set(learner.id, { ...learner, connections: 0 });
    this.version++;
  }

  subscribe = (listener: (event?: RoomEvent) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): number => this.version;

  private share(learner: Learner, snapshot: LearnerSnapshot): void {
    if (snapshot.results) this.record(learner, snapshot.results);
    learner.done = [...new Set(snapshot.done)];
  }

  private record(learner: Learner, results: StepResults): void {
    // Bounded like everything else: at most one result per step, and MAX_STEPS steps.
    if (!Object.hasOwn(learner.results, results.step) && Object.keys(learner.results).length >= MAX_STEPS) return;
    learner.results[results.step] = results;
  }

  private changed(learner: Learner, text?: string): void {
    this.version++;
    const event = text ? { at: this.now(), learner: learner.name, text } : undefined;
    for (const listener of this.listeners) listener(event);
  }
}
