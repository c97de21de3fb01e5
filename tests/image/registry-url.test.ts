import { expect, test } from "vitest";
import { registryBaseUrl } from "../../app/image/registry.js";

test.each([
  ["docker.io", "https://registry-1.docker.io"],
  ["ghcr.io", "https://ghcr.io"],
  ["registry.example.com:5000", "https://registry.example.com:5000"],
  ["localhost", "http://localhost"],
  ["localhost:5000", "http://localhost:5000"],
  ["127.0.0.1:5000", "http://127.0.0.1:5000"],
  ["127.1.2.3", "http://127.1.2.3"],
  ["[::1]:5000", "http://[::1]:5000"],
  ["127.0.0.1.example.com", "https://127.0.0.1.example.com"],
])("registry %s is reached at %s", (registry, url) => {
  expect(registryBaseUrl(registry)).toBe(url);
});
