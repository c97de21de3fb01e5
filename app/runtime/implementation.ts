// The contract, checked by the compiler: each module of the implementation directory chosen with
// --impl (`#impl/*`) against its step's interface, so that a signature that breaks the contract
// does not compile. `npm run typecheck` checks solutions/ through the root tsconfig and exercises/
// through exercises/tsconfig.json, which points `#impl/*` at it; app/checks/type-check.ts checks
// any directory this way. Nothing runs this file: each process binds only the steps it calls
// (host-steps.ts, init-steps.ts), so that it loads no more of the implementation than it needs.
import * as processModule from "#impl/process";
import * as namespacesModule from "#impl/namespaces";
import * as rootfsModule from "#impl/rootfs";
import * as cgroupsModule from "#impl/cgroups";
import * as volumesModule from "#impl/volumes";
import * as networkModule from "#impl/network";
import * as pivotRootModule from "#impl/pivot-root";
import * as overlayModule from "#impl/overlay";
import * as privilegesModule from "#impl/privileges";
import * as imageConfigModule from "#impl/image-config";
import * as execModule from "#impl/exec";
import * as terminalModule from "#impl/terminal";
import * as usernsModule from "#impl/userns";
import * as initModule from "#impl/init";
import * as portsModule from "#impl/ports";
import type { StepFunction } from "../course/steps.js";
import type { IMPL_MODULES } from "../course/step-table.mjs";
import type { Implementation, ImplementationModules } from "./contract.js";

({
  process: processModule,
  namespaces: namespacesModule,
  rootfs: rootfsModule,
  cgroups: cgroupsModule,
  volumes: volumesModule,
  network: networkModule,
  "pivot-root": pivotRootModule,
  overlay: overlayModule,
  privileges: privilegesModule,
  "image-config": imageConfigModule,
  exec: execModule,
  terminal: terminalModule,
  userns: usernsModule,
  init: initModule,
  ports: portsModule,
}) satisfies ImplementationModules;

// The step table and the contract name the same modules and functions: adding a step to one
// without the other fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<keyof ImplementationModules, (typeof IMPL_MODULES)[number]>;
true satisfies Same<keyof Implementation, StepFunction>;
