/**
 * The learner's progress, saved in `.workshop/progress.json` (git-ignored) so that closing and
 * reopening the app, or running `workshop hint` twice, carries on where they were:
 *
 *   { "currentStep": "2", "hintsSeen": { "2": 1 }, "passed": { "2": ["2.pid-one", ...] },
 *     "scroll": { "2": { "row": 40, "of": 212 } } }
 *
 * Written atomically (temporary file, then rename); a missing or damaged file is a fresh start.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { INTRODUCTION_PAGE } from "./steps.js";

export interface Progress {
  /** A step's id, or "intro" / "outro" for the pages without checks. */
  currentStep: string;
  /** How many hints of each step have been shown. */
  hintsSeen: Record<string, number>;
  /** The ids of the checks that passed in each step's last run. */
  passed: Record<string, string[]>;
  /** Where each page was left in the app: its top row, of how many (the width it was laid out at may change). */
  scroll?: Record<string, PagePlace>;
  /** The app opens in projector mode (its p key, or --projector). */
  projector?: boolean;
  /** The room the learner joined (`workshop join`), which their app and checks report to. */
  room?: RoomMembership;
}

export interface PagePlace {
  row: number;
  of: number;
}

export interface RoomMembership {
  /** http://HOST:PORT/r/CODE */
  url: string;
  name: string;
  /** A random id, the learner's across reconnections. */
  learner: string;
}

/** WORKSHOP_PROGRESS moves it elsewhere: for tests, or several learners sharing one checkout. */
export function progressFile(repo: string): string {
  return process.env.WORKSHOP_PROGRESS || join(repo, ".workshop", "progress.json");
}

export function loadProgress(file: string): Progress {
  // A first launch starts by reading the introduction.
  const fresh: Progress = { currentStep: INTRODUCTION_PAGE.id, hintsSeen: {}, passed: {} };
  try {
    const saved = JSON.parse(readFileSync(file, "utf8")) as Partial<Progress>;
    return {
      currentStep: typeof saved.currentStep === "string" ? saved.currentStep : fresh.currentStep,
      hintsSeen: saved.hintsSeen && typeof saved.hintsSeen === "object" ? saved.hintsSeen : {},
      passed: saved.passed && typeof saved.passed === "object" ? saved.passed : {},
      ...(saved.scroll && typeof saved.scroll === "object" ? { scroll: saved.scroll } : {}),
      ...(isMembership(saved.room) ? { room: saved.room } : {}),
      ...(saved.projector === true ? { projector: true } : {}),
    };
  } catch {
    return fresh;
  }
}

function isMembership(value: unknown): value is RoomMembership {
  const room = value as RoomMembership | undefined;
  return typeof room?.url === "string" && typeof room.name === "string" && typeof room.learner === "string";
}

export function saveProgress(file: string, progress: Progress): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(progress, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
