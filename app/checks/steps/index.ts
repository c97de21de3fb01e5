// Every step's checks, by step id.
import { UserError } from "../../errors.js";
import { STEPS, type StepId } from "../../course/steps.js";
import type { StepChecks } from "../define.js";
import { execChecks } from "./bonus-exec.js";
import { imageConfigChecks } from "./bonus-image-config.js";
import { initChecks } from "./bonus-init.js";
import { portsChecks } from "./bonus-ports.js";
import { overlayChecks } from "./bonus-overlay.js";
import { pivotRootChecks } from "./bonus-pivot-root.js";
import { privilegesChecks } from "./bonus-privileges.js";
import { terminalChecks } from "./bonus-terminal.js";
import { usernsChecks } from "./bonus-userns.js";
import { step1 } from "./step1-process.js";
import { step2 } from "./step2-namespaces.js";
import { step3 } from "./step3-rootfs.js";
import { step4 } from "./step4-cgroups.js";
import { step5 } from "./step5-volumes.js";
import { step6 } from "./step6-network.js";

// Keyed by the step table's ids: a step without checks does not compile.
const CHECKS: Record<StepId, StepChecks> = {
  "1": step1,
  "2": step2,
  "3": step3,
  "4": step4,
  "5": step5,
  "6": step6,
  "pivot-root": pivotRootChecks,
  overlay: overlayChecks,
  privileges: privilegesChecks,
  "image-config": imageConfigChecks,
  exec: execChecks,
  terminal: terminalChecks,
  userns: usernsChecks,
  init: initChecks,
  ports: portsChecks,
};

export function stepChecks(stepId: string): StepChecks {
  const found = Object.values(CHECKS).find((s) => s.step === stepId);
  if (!found) throw new UserError(`there is no step "${stepId}"`, `the steps are ${STEPS.map((s) => s.id).join(", ")}`);
  return found;
}
