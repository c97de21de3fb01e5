/**
 * The commands step 1's checks run to be refused: the kernel's execve fails on them on purpose, so
 * a run's trace shows these failures as expected (app/tui/trace.ts), not as the learner's.
 */
export const REFUSALS = [
  { name: "not-found", command: "no-such-command", status: 127, error: "ENOENT", why: "no such file in the container" },
  { name: "not-executable", command: "/etc/passwd", status: 126, error: "EACCES", why: "it is not executable" },
] as const;
