/**
 * A small assembler for classic BPF, the language of seccomp filters: a program reads the
 * struct seccomp_data of a system call into its accumulator, jumps on comparisons, and returns
 * what the kernel should do. Jumps name labels; assemble() turns them into the forward offsets
 * the kernel wants. Only the instructions seccomp filters here use.
 */

/** struct sock_filter: one instruction. */
export interface SockFilter {
  code: number;
  /** Instructions to skip when the condition holds / does not (jumps only). */
  jt: number;
  jf: number;
  k: number;
}

// Opcode parts, from linux/bpf_common.h.
const BPF_LD = 0x00;
const BPF_JMP = 0x05;
const BPF_RET = 0x06;
const BPF_W = 0x00;
const BPF_ABS = 0x20;
const BPF_JEQ = 0x10;
const BPF_JGT = 0x20;
const BPF_JGE = 0x30;
const BPF_JSET = 0x40;
const BPF_K = 0x00;

/** Where a jump goes: a label, or null for the next instruction. */
export type Target = string | null;

export type Instruction = { label: string } | { code: number; k: number } | { code: number; k: number; jt: Target; jf: Target };

export const label = (name: string): Instruction => ({ label: name });

/** A = the 32-bit word at `offset` in the data (seccomp_data). */
export const loadWord = (offset: number): Instruction => ({ code: BPF_LD | BPF_W | BPF_ABS, k: offset });

const CONDITIONS = { jeq: BPF_JEQ, jgt: BPF_JGT, jge: BPF_JGE, jset: BPF_JSET } as const;

/** if (A == k), (A > k), (A >= k), or (A & k) goto jt else goto jf. */
export function jumpIf(condition: keyof typeof CONDITIONS, k: number, jt: Target, jf: Target = null): Instruction {
  return { code: BPF_JMP | CONDITIONS[condition] | BPF_K, k: k >>> 0, jt, jf };
}

/** Stops with the result k (for seccomp: SECCOMP_RET_*). */
export const ret = (k: number): Instruction => ({ code: BPF_RET | BPF_K, k: k >>> 0 });

// The kernel's limit on a program's length (BPF_MAXINSNS).
const MAX_INSTRUCTIONS = 4096;

/** Resolves labels to offsets. Classic BPF only jumps forward, at most 255 instructions. */
export function assemble(program: readonly Instruction[]): SockFilter[] {
  const labels = new Map<string, number>();
  const instructions: Exclude<Instruction, { label: string }>[] = [];
  for (const item of program) {
    if (!("label" in item)) {
      instructions.push(item);
      continue;
    }
    if (labels.has(item.label)) throw new Error(`BPF: label "${item.label}" is defined twice`);
    labels.set(item.label, instructions.length);
  }
  if (instructions.length > MAX_INSTRUCTIONS) throw new Error(`BPF: ${instructions.length} instructions, more than the kernel's ${MAX_INSTRUCTIONS}`);
  return instructions.map((instruction, index) => {
    if (!("jt" in instruction)) return { code: instruction.code, jt: 0, jf: 0, k: instruction.k };
    const offset = (target: Target): number => {
      if (target === null) return 0;
      const to = labels.get(target);
      if (to === undefined) throw new Error(`BPF: jump to an undefined label "${target}"`);
      const distance = to - index - 1;
      if (distance < 0) throw new Error(`BPF: jump back to "${target}" (classic BPF jumps forward only)`);
      if (distance > 255) throw new Error(`BPF: jump to "${target}" over ${distance} instructions (at most 255)`);
      return distance;
    };
    return { code: instruction.code, jt: offset(instruction.jt), jf: offset(instruction.jf), k: instruction.k };
  });
}

/** The program as the kernel reads it: 8 bytes an instruction (u16 code, u8 jt, u8 jf, u32 k), little-endian like x86_64 and arm64. */
export function encodeFilter(filter: readonly SockFilter[]): Buffer {
  const buf = Buffer.alloc(filter.length * 8);
  filter.forEach(({ code, jt, jf, k }, i) => {
    buf.writeUInt16LE(code, i * 8);
    buf.writeUInt8(jt, i * 8 + 2);
    buf.writeUInt8(jf, i * 8 + 3);
    buf.writeUInt32LE(k >>> 0, i * 8 + 4);
  });
  return buf;
}
