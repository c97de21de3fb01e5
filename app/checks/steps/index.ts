// Every step's checks, by step id.
import { UserError } from "../../errors.js";
import { STEPS } from "../../course/steps.js";
import type { StepChecks } from "../define.js";
import { imageConfigChecks } from "./bonus-image-config.js";
import { overlayChecks } from "./bonus-overlay.js";
import { pivotRootChecks } from "./bonus-pivot-root.js";
import { step1 } from "./step1-process.js";
import { step2 } from "./step2-namespaces.js";
import { step3 } from "./step3-rootfs.js";
import { step4 } from "./step4-cgroups.js";
import { step5 } from "./step5-volumes.js";
import { step6 } from "./step6-network.js";

const ALL: StepChecks[] = [step1, step2, step3, step4, step5, step6, pivotRootChecks, overlayChecks, imageConfigChecks];

export function stepChecks(stepId: string): StepChecks {
  const found = ALL.find((s) => s.step === stepId);
  if (!found) throw new UserError(`there is no step "${stepId}"`, `the steps are ${STEPS.map((s) => s.id).join(", ")}`);
  return found;
}
