/**
 * The app's side of a room: while the progress file names one (`workshop join`, or J here), the
 * app shares the step it opens and the results of the learner's own runs (never the reference's,
 * never code), over a link that reconnects by itself. J joins (asking for the URL, then the name)
 * or leaves.
 */
import type { Key } from "ink";
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { Progress } from "../course/progress.js";
import { describeError } from "../errors.js";
import { RoomLink, type LinkStatus } from "../room/client.js";
import { newMembership, parseRoomUrl } from "../room/membership.js";
import { doneSteps, shareRun } from "../room/share.js";
import type { CheckRuns } from "./check-runs.js";
import { useLatest } from "./latest.js";
import { MIN_COLUMNS } from "./layout.js";

export interface RoomLinkOptions {
  repo: string;
  /** The learner's implementation directory: only its runs are shared. */
  impl: string;
  checks: CheckRuns;
  progress: Progress;
  updateProgress(change: (p: Progress) => Progress): void;
}

export interface AppRoom {
  /** For the header: "room 10.0.0.5:4711", and whether it is connected. */
  badge?: { label: string; status: LinkStatus };
  /** The question being asked (URL, then name), for the footer. */
  prompt?: string;
  /** Takes a key if it is the room's (J, or a key typed into the prompt); returns whether it did. */
  handleKey(input: string, key: Key): boolean;
}

const noStatus = () => () => undefined;

export function useRoomLink({ repo, impl, checks, progress, updateProgress }: RoomLinkOptions): AppRoom {
  const membership = progress.room;
  const latestProgress = useLatest(progress);
  const link = useMemo(
    () => membership && new RoomLink(membership, { step: latestProgress.current.currentStep, done: doneSteps(latestProgress.current.passed, (id) => checks.checksOf(id)) }, { reconnect: true }),
    [membership?.url, membership?.name, membership?.learner],
  );
  useEffect(() => () => void link?.close(), [link]);
  useEffect(() => link?.send({ t: "step", step: progress.currentStep }), [link, progress.currentStep]);
  useEffect(
    () =>
      link &&
      checks.onFinished((run) => {
        if (run.impl !== impl) return;
        shareRun(link, run.stepId, run.results, checks.checksOf(run.stepId).length, repo);
      }),
    [link, checks, impl, repo],
  );
  const status = useSyncExternalStore(link?.subscribe ?? noStatus, link?.snapshot ?? (() => undefined));

  // The prompt: undefined, or what has been typed for the URL, then for the name. In a ref as
  // well: keys that arrive together (a pasted URL) each see what the one before typed.
  const [asking, setAsking] = useState<{ field: "url" | "name"; text: string; url?: string; error?: string }>();
  const latestAsking = useRef(asking);
  const set = (next: typeof asking) => {
    latestAsking.current = next;
    setAsking(next);
  };
  const handleKey = (input: string, key: Key): boolean => {
    const now = latestAsking.current;
    if (!now) {
      if (input !== "J") return false;
      if (link) {
        link.send({ t: "leave" });
        void link.close();
        updateProgress(({ room: _, ...rest }) => rest);
      } else set({ field: "url", text: "" });
      return true;
    }
    if (key.escape) set(undefined);
    else if (key.backspace || key.delete) set({ ...now, text: [...now.text].slice(0, -1).join(""), error: undefined });
    else if (key.return) {
      try {
        if (now.field === "url") {
          parseRoomUrl(now.text.trim());
          set({ field: "name", text: progress.room?.name ?? "", url: now.text.trim() });
        } else {
          const room = newMembership(now.url ?? "", now.text, progress.room);
          updateProgress((p) => ({ ...p, room }));
          set(undefined);
        }
      } catch (error) {
        set({ ...now, error: describeError(error).split("\n")[0] });
      }
    } else if (input && !key.ctrl && !key.meta && [...now.text].length < 200) set({ ...now, text: now.text + input.replace(/[\u0000-\u001f\u007f]/g, ""), error: undefined });
    return true;
  };
  return { badge: link && status ? { label: link.label, status } : undefined, prompt: asking && promptLine(asking), handleKey };
}

/** The footer's question; what is typed keeps its end in view on the narrowest screen the app draws. */
function promptLine({ field, text, error }: { field: "url" | "name"; text: string; error?: string }): string {
  const question = field === "url" ? "Join a room: its URL (from the instructor's screen)" : "Your name, as the instructor will see it";
  const chars = [...text];
  const room = MIN_COLUMNS - 4 - (field === "url" ? "Room URL: ".length : "Your name: ".length);
  const shown = chars.length > room ? `…${chars.slice(-(room - 1)).join("")}` : text;
  if (!text && !error) return `${question} (⏎ ok, esc cancel): ▏`;
  return `${error ? `${error}. ` : ""}${field === "url" ? "Room URL: " : "Your name: "}${shown}▏`;
}
