import { afterEach, describe, expect, test } from "vitest";
import { pickPlatform, type Descriptor } from "../../app/image/manifest.js";

const realArch = Object.getOwnPropertyDescriptor(process, "arch")!;
function pretendArch(arch: string): void {
  Object.defineProperty(process, "arch", { ...realArch, value: arch });
}
afterEach(() => {
  Object.defineProperty(process, "arch", realArch);
});

function entry(n: number, architecture: string, variant?: string, os = "linux"): Descriptor {
  return { digest: `sha256:${String(n).repeat(64).slice(0, 64)}`, size: 1, platform: { os, architecture, ...(variant ? { variant } : {}) } };
}

describe("choosing this host's image from an index", () => {
  const index = [entry(1, "amd64"), entry(2, "arm", "v7"), entry(3, "arm64", "v8"), entry(4, "unknown", undefined, "unknown")];

  test("x64 hosts take linux/amd64", () => {
    pretendArch("x64");
    expect(pickPlatform(index, "img").digest).toBe(index[0]!.digest);
  });

  test("arm64 hosts prefer the v8 variant over one without a variant", () => {
    pretendArch("arm64");
    expect(pickPlatform([entry(5, "arm64"), ...index], "img").digest).toBe(index[2]!.digest);
    expect(pickPlatform([entry(5, "arm64"), entry(1, "amd64")], "img").digest).toBe(entry(5, "arm64").digest);
  });

  test("a missing platform is an error listing what there is", () => {
    pretendArch("s390x");
    expect(() => pickPlatform(index, "img")).toThrow("img has no image for linux/s390x");
    try {
      pickPlatform(index, "img");
    } catch (error) {
      expect((error as { hint?: string }).hint).toBe("It is published for: linux/amd64, linux/arm/v7, linux/arm64/v8.");
    }
  });
});
