// Ink reads CI once, when it loads, and with CI set draws only its last frame. The app's tests
// look at every frame, as a person at a terminal would: load Ink as if interactive, then give CI
// back (requireRoot and requireProgram read it to refuse skipping in CI).
const ci = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
process.env.CI = "0";
process.env.CONTINUOUS_INTEGRATION = "0";
await import("ink");
for (const [name, value] of Object.entries(ci)) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
