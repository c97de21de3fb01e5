/**
 * A full disk while storing something, said the way a person needs it: what could not be stored,
 * where, and what to do. Undefined for any other failure, which the caller reports its own way.
 */
import { UserError } from "../errors.js";

export function diskFull(error: unknown, failed: string, where: string): UserError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== "ENOSPC" && code !== "EDQUOT") return undefined;
  return new UserError(
    `${failed}: ${code === "ENOSPC" ? `the disk holding ${where} is full` : `the disk quota for ${where} is used up`}`,
    "free some space there (`container prune` removes what no image uses), then try again",
    125,
    { cause: error },
  );
}
