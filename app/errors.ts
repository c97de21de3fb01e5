/**
 * An error meant for a person: `message` says what failed and why, `hint` what to do about it.
 * The CLIs print these as one line (plus the hint) and exit with `exitCode`; anything else that
 * escapes is a bug in the workshop and is printed with its stack only under --debug.
 */
export class UserError extends Error {
  override name = "UserError";
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 125,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Renders any thrown value as the one or two lines a person should see. */
export function describeError(error: unknown): string {
  if (error instanceof UserError) return error.hint ? `${error.message}\n  ${error.hint}` : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Runs a command line's work and turns what it throws into what a person sees: one line (and
 * the hint) prefixed with the program's name, the stack only with --debug, and the exit status
 * (the UserError's own, else 125).
 */
export async function reportErrors(program: string, debug: boolean, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    process.stderr.write(`${program}: ${describeError(error)}\n`);
    if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return error instanceof UserError ? error.exitCode : 125;
  }
}
