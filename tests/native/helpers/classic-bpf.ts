import type { SockFilter } from "#native";

// Opcodes from linux/bpf_common.h, written out here rather than taken from the code under test.
const LD_W_ABS = 0x20;
const JMP = 0x05;
const JEQ = 0x10;
const JGT = 0x20;
const JGE = 0x30;
const JSET = 0x40;
const RET_K = 0x06;

/** A system call as a seccomp filter sees it (struct seccomp_data). */
export interface SeccompData {
  nr: number;
  arch: number;
  args?: readonly (number | bigint)[];
}

/**
 * Runs a seccomp filter the way the kernel does, on the instructions native/bpf.ts emits, so that
 * tests can ask what the filter decides for calls this machine cannot make (arm64, x32, int 0x80).
 */
export function runFilter(filter: readonly SockFilter[], call: SeccompData): number {
  const data = Buffer.alloc(64);
  data.writeInt32LE(call.nr, 0);
  data.writeUInt32LE(call.arch, 4);
  (call.args ?? []).forEach((arg, i) => data.writeBigUInt64LE(BigInt(arg), 16 + 8 * i));
  let a = 0;
  for (let pc = 0; pc < filter.length; ) {
    const { code, jt, jf, k } = filter[pc]!;
    if (code === LD_W_ABS) {
      a = data.readUInt32LE(k);
      pc++;
    } else if ((code & 0x0f) === JMP) {
      const op = code & 0xf0;
      const taken = op === JEQ ? a === k : op === JGT ? a > k : op === JGE ? a >= k : op === JSET ? (a & k) !== 0 : undefined;
      if (taken === undefined) throw new Error(`unknown jump 0x${code.toString(16)}`);
      pc += 1 + (taken ? jt : jf);
    } else if (code === RET_K) {
      return k;
    } else {
      throw new Error(`unknown instruction 0x${code.toString(16)}`);
    }
  }
  throw new Error("the filter ran off its end");
}
