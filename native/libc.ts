import { createRequire } from "node:module";
import type * as Koffi from "koffi";

/**
 * The C library functions the course calls, bound through koffi on first use: a process that
 * never makes a system call (the TUI, a check) never pays for loading koffi or libc.
 */
export interface Libc {
  koffi: typeof Koffi;
  unshare(flags: number): number;
  setns(fd: number, nstype: number): number;
  sethostname(name: string, len: number): number;
  gethostname(buf: Buffer, len: number): number;
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): number;
  umount2(target: string, flags: number): number;
  chroot(path: string): number;
  chdir(path: string): number;
  fchdir(fd: number): number;
  setsid(): number;
  dup2(oldfd: number, newfd: number): number;
  /** ioctl(2): variadic, the argument passed as ("int", value) or ("void *", buffer). */
  ioctl(fd: number, request: number, ...typedArg: unknown[]): number;
  /** Returns the buffer's address, or null (with errno) on failure. */
  getcwd(buf: Buffer, size: number): unknown;
  execve(path: string, argv: (string | null)[], envp: (string | null)[]): number;
  getpid(): number;
  getppid(): number;
  kill(pid: number, sig: number): number;
  prctl(option: number, a2: number, a3: number, a4: number, a5: number): number;
  mknod(path: string, mode: number, dev: bigint): number;
  setuid(uid: number): number;
  setgid(gid: number): number;
  setgroups(size: number, list: number[]): number;
  /** fcntl(2): variadic, the third argument passed as ("int", value). */
  fcntl(fd: number, cmd: number, ...typedArg: unknown[]): number;
  /** openat(2): variadic, the mode passed as ("uint32_t", mode). */
  openat(dirfd: number, path: string, flags: number, ...typedMode: unknown[]): number;
  close(fd: number): number;
  mkdirat(dirfd: number, path: string, mode: number): number;
  readlinkat(dirfd: number, path: string, buf: Buffer, size: number): number;
  /** statx(2) into a 256-byte struct statx. */
  statx(dirfd: number, path: string, flags: number, mask: number, buf: Buffer): number;
  /** capget(2)/capset(2) with a struct __user_cap_header_struct and two __user_cap_data_struct. */
  capget(header: Buffer, data: Buffer): number;
  capset(header: Buffer, data: Buffer): number;
  /** signal(2) with the handler as a number: only SIG_DFL (0) and SIG_IGN (1) make sense from here. */
  signal(sig: number, handler: number): number;
  waitpid(pid: number, status: number[], options: number): number;
  /** syscall(2): variadic, called as syscall(nr, "type", value, ...). */
  syscall(nr: number, ...typedArgs: unknown[]): number;
  strerror(errno: number): string;
}

let libc: Libc | undefined;

export function loadLibc(): Libc {
  if (libc) return libc;
  const koffi = createRequire(import.meta.url)("koffi") as typeof Koffi;
  const lib = koffi.load("libc.so.6");
  const fn = (signature: string): unknown => lib.func(signature);
  libc = {
    koffi,
    unshare: fn("int unshare(int flags)"),
    setns: fn("int setns(int fd, int nstype)"),
    sethostname: fn("int sethostname(const char *name, size_t len)"),
    gethostname: fn("int gethostname(_Out_ uint8_t *name, size_t len)"),
    mount: fn("int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data)"),
    umount2: fn("int umount2(const char *target, int flags)"),
    chroot: fn("int chroot(const char *path)"),
    chdir: fn("int chdir(const char *path)"),
    fchdir: fn("int fchdir(int fd)"),
    setsid: fn("int setsid()"),
    dup2: fn("int dup2(int oldfd, int newfd)"),
    ioctl: fn("int ioctl(int fd, unsigned long request, ...)"),
    getcwd: fn("void *getcwd(_Out_ uint8_t *buf, size_t size)"),
    execve: fn("int execve(const char *path, const char **argv, const char **envp)"),
    getpid: fn("int getpid()"),
    getppid: fn("int getppid()"),
    kill: fn("int kill(int pid, int sig)"),
    prctl: fn("int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)"),
    mknod: fn("int mknod(const char *path, uint32_t mode, uint64_t dev)"),
    setuid: fn("int setuid(uint32_t uid)"),
    setgid: fn("int setgid(uint32_t gid)"),
    setgroups: fn("int setgroups(size_t size, const uint32_t *list)"),
    fcntl: fn("int fcntl(int fd, int cmd, ...)"),
    openat: fn("int openat(int dirfd, const char *path, int flags, ...)"),
    close: fn("int close(int fd)"),
    mkdirat: fn("int mkdirat(int dirfd, const char *path, uint32_t mode)"),
    readlinkat: fn("long readlinkat(int dirfd, const char *path, _Out_ uint8_t *buf, size_t size)"),
    statx: fn("int statx(int dirfd, const char *path, int flags, unsigned int mask, _Out_ uint8_t *buf)"),
    capget: fn("int capget(void *header, _Out_ uint8_t *data)"),
    capset: fn("int capset(void *header, void *data)"),
    signal: fn("intptr_t signal(int sig, intptr_t handler)"),
    waitpid: fn("int waitpid(int pid, _Out_ int *status, int options)"),
    syscall: fn("long syscall(long number, ...)"),
    strerror: fn("const char *strerror(int errnum)"),
  } as unknown as Libc;
  return libc;
}
