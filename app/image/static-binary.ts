/**
 * Whether a program runs in any root filesystem: an ELF file with no program interpreter (no
 * PT_INTERP header), so it needs no ld.so and no shared libraries from the image. Debian's
 * `busybox` package installs a dynamically linked /bin/busybox; only `busybox-static`'s will do.
 */
import { closeSync, openSync, readSync } from "node:fs";

const PT_INTERP = 3;
const MAX_HEADERS = 4096; // far more than any real program has

export function isStaticElf(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const read = (offset: number, length: number): Buffer => {
      const buffer = Buffer.alloc(length);
      return buffer.subarray(0, readSync(fd, buffer, 0, length, offset));
    };
    const header = read(0, 64);
    if (header.length < 52 || header.readUInt32BE(0) !== 0x7f454c46) return false; // "\x7fELF"
    const is64 = header[4] === 2;
    const little = header[5] === 1;
    const u16 = (b: Buffer, at: number) => (little ? b.readUInt16LE(at) : b.readUInt16BE(at));
    const u32 = (b: Buffer, at: number) => (little ? b.readUInt32LE(at) : b.readUInt32BE(at));
    const phoff = is64 ? Number(little ? header.readBigUInt64LE(32) : header.readBigUInt64BE(32)) : u32(header, 28);
    const [phentsize, phnum] = is64 ? [u16(header, 54), u16(header, 56)] : [u16(header, 42), u16(header, 44)];
    if (phentsize < 4 || phnum > MAX_HEADERS) return false;
    const table = read(phoff, phentsize * phnum);
    for (let i = 0; i + phentsize <= table.length; i += phentsize) if (u32(table, i) === PT_INTERP) return false;
    return table.length === phentsize * phnum;
  } finally {
    closeSync(fd);
  }
}
