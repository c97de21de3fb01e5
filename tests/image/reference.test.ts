import { describe, expect, test } from "vitest";
import { displayName, formatReference, parseReference } from "../../app/image/reference.js";

const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("image references follow Docker's grammar", () => {
  test.each([
    ["alpine", "docker.io/library/alpine:latest", "alpine"],
    ["alpine:3.20", "docker.io/library/alpine:3.20", "alpine"],
    ["user/img", "docker.io/user/img:latest", "user/img"],
    ["docker.io/library/alpine:3.20", "docker.io/library/alpine:3.20", "alpine"],
    ["index.docker.io/library/alpine", "docker.io/library/alpine:latest", "alpine"],
    ["127.0.0.1:5000/busybox:latest", "127.0.0.1:5000/busybox:latest", "127.0.0.1:5000/busybox"],
    ["registry.example.com/a/b/c:v1.2_3-x", "registry.example.com/a/b/c:v1.2_3-x", "registry.example.com/a/b/c"],
    ["localhost/x", "localhost/x:latest", "localhost/x"],
    ["localhost:5000/x", "localhost:5000/x:latest", "localhost:5000/x"],
    ["[::1]:5000/x:1", "[::1]:5000/x:1", "[::1]:5000/x"],
    [`alpine@${DIGEST}`, `docker.io/library/alpine@${DIGEST}`, "alpine"],
    [`alpine:3.20@${DIGEST}`, `docker.io/library/alpine@${DIGEST}`, "alpine"], // the digest names it, as in Docker
    ["my-org/my__img.x", "docker.io/my-org/my__img.x:latest", "my-org/my__img.x"],
  ])("%s → %s", (input, normalised, shown) => {
    const ref = parseReference(input);
    expect(formatReference(ref)).toBe(normalised);
    expect(displayName(ref)).toBe(shown);
  });

  test.each([
    ["", /is empty/],
    ["Alpine", /must be lowercase/],
    ["user/Img", /must be lowercase/],
    ["alpine:", /not a valid tag/],
    ["alpine:bad!tag", /not a valid tag/],
    ["al pine", /lowercase letters and digits/],
    ["-alpine", /lowercase letters and digits/],
    ["alpine//x", /lowercase letters and digits/],
    ["alpine@sha256:1234", /64 lowercase hex/],
    [`alpine@md5:${"a".repeat(32)}`, /digest must be sha256/],
    ["host:port/x", /not a valid registry host/],
    ["[::::::]:5000/x", /not a valid registry host/],
    ["localhost:99999/x", /the registry's port 99999 is not between 1 and 65535/],
    ["localhost:0/x", /the registry's port 0 is not between 1 and 65535/],
  ])("%j is refused", (input, why) => {
    expect(() => parseReference(input)).toThrow(why);
    expect(() => parseReference(input)).toThrow(`invalid image reference "${input}"`);
  });
});
