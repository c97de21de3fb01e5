/** What is open: a step or a page without checks (the introduction, the outro), and its page. */
import { useMemo } from "react";
import { readPage, type Page } from "../course/pages.js";
import { INTRODUCTION_PAGE, type Step } from "../course/steps.js";
import { findEntry, isStep, type Entry } from "./course-entries.js";

export interface OpenEntry {
  entry: Entry;
  /** The entry when it is a step: undefined on the introduction and the outro. */
  step?: Step;
  page?: Page;
}

export function useOpenEntry(repo: string, openId: string): OpenEntry {
  const entry = findEntry(openId) ?? INTRODUCTION_PAGE;
  const page = useMemo(() => readPageIfWritten(repo, entry.doc), [repo, entry.doc]);
  return { entry, step: isStep(entry) ? entry : undefined, page };
}

/** A page, or undefined when it cannot be read: the pane then says it is not written yet. */
export function readPageIfWritten(repo: string, doc: string): Page | undefined {
  try {
    return readPage(repo, doc);
  } catch {
    return undefined;
  }
}
