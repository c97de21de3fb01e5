// What a learner may send: well-formed, bounded messages only; names fit for a terminal.
import { describe, expect, it } from "vitest";
import { MAX_MESSAGE_BYTES, parseLearnerMessage, sanitiseName } from "../../app/room/protocol.js";
import { firstLine } from "../../app/room/share.js";

describe("the room's protocol", () => {
  it("takes the messages it knows, field by field", () => {
    expect(parseLearnerMessage('{"t":"hello","learner":"a1","name":"Ana","step":"2","done":["1"]}')).toEqual({ t: "hello", learner: "a1", name: "Ana", step: "2", done: ["1"] });
    expect(parseLearnerMessage('{"t":"checks","step":"2","checks":[{"id":"2.pid-one","status":"fail"}],"failure":{"check":"2.pid-one","line":"pid was 7"}}')).toEqual({
      t: "checks",
      step: "2",
      checks: [{ id: "2.pid-one", status: "fail" }],
      failure: { check: "2.pid-one", line: "pid was 7" },
    });
    expect(parseLearnerMessage('{"t":"done","step":"2"}')).toEqual({ t: "done", step: "2" });
  });

  it.each([
    ["not JSON", "{t:", /JSON/],
    ["an unknown type", '{"t":"exec","cmd":"rm -rf /"}', /unknown message type/],
    ["an unknown field (code, files, environment have none)", '{"t":"step","step":"2","env":{"HOME":"/root"}}', /unknown field "env"/],
    ["a step id that is a path", '{"t":"step","step":"../../etc/passwd"}', /letters, digits/],
    ["a status it does not know", '{"t":"checks","step":"2","checks":[{"id":"x","status":"maybe"}]}', /status/],
    ["too many checks", JSON.stringify({ t: "checks", step: "2", checks: Array.from({ length: 33 }, (_, i) => ({ id: `c${i}`, status: "pass" })) }), /at most 32/],
    ["a failure's line too long", JSON.stringify({ t: "checks", step: "2", checks: [], failure: { check: "x", line: "y".repeat(201) } }), /at most 200/],
    ["an array", "[1,2]", /object/],
    ["too big", JSON.stringify({ t: "step", step: "1", pad: "x".repeat(MAX_MESSAGE_BYTES) }), /at most 4096 bytes/],
    ["a name of escape sequences only", '{"t":"hello","learner":"a","name":"\\u001b[2J","step":"1","done":[]}', /printable/],
  ])("refuses %s", (_, text, why) => {
    expect(() => parseLearnerMessage(text)).toThrow(why);
  });

  it("takes the escape sequences and controls out of a name", () => {
    expect(sanitiseName("\u001b[31mEve\u001b[0m")).toBe("Eve");
    expect(sanitiseName("\u001b]0;pwned\u0007Eve")).toBe("Eve");
    expect(sanitiseName("\u001b]8;;http://evil\u001b\\Eve\u001b]8;;\u001b\\")).toBe("Eve");
    expect(sanitiseName("E\u009b2Jve\r\n\u0008x")).toBe("Eve x");
    expect(sanitiseName("\u202eevE")).toBe("evE");
    expect(sanitiseName("x".repeat(100))).toHaveLength(32);
  });

  it("shares a failure's first line without the machine's own paths", () => {
    const repo = "/home/ana/container-workshop";
    const message = `could not read /home/ana/container-workshop/exercises/process.ts: in /tmp/workshop-check-1/x, $HOME /home/ana\nsecond line`;
    expect(firstLine(message, repo)).toBe("could not read exercises/process.ts: in …, $HOME …");
  });
});
