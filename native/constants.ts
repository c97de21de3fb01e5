import { SYS } from "./syscall-numbers.js";

/**
 * Kernel constants the course uses, with the values from the Linux UAPI headers
 * (the same on x86_64 and arm64 unless said otherwise). Grouped so the tracer can turn a flags
 * word back into names.
 */

/** clone(2)/unshare(2)/setns(2) namespace flags. */
export const CLONE = {
  CLONE_NEWNS: 0x00020000,
  CLONE_NEWCGROUP: 0x02000000,
  CLONE_NEWUTS: 0x04000000,
  CLONE_NEWIPC: 0x08000000,
  CLONE_NEWUSER: 0x10000000,
  CLONE_NEWPID: 0x20000000,
  CLONE_NEWNET: 0x40000000,
  CLONE_NEWTIME: 0x00000080,
  CLONE_FS: 0x00000200,
  CLONE_FILES: 0x00000400,
  CLONE_SYSVSEM: 0x00040000,
} as const;

export const {
  CLONE_NEWNS,
  CLONE_NEWCGROUP,
  CLONE_NEWUTS,
  CLONE_NEWIPC,
  CLONE_NEWUSER,
  CLONE_NEWPID,
  CLONE_NEWNET,
  CLONE_NEWTIME,
  CLONE_FS,
  CLONE_FILES,
  CLONE_SYSVSEM,
} = CLONE;

/** mount(2) flags. */
export const MS = {
  MS_RDONLY: 1,
  MS_NOSUID: 2,
  MS_NODEV: 4,
  MS_NOEXEC: 8,
  MS_SYNCHRONOUS: 16,
  MS_REMOUNT: 32,
  MS_MANDLOCK: 64,
  MS_DIRSYNC: 128,
  MS_NOSYMFOLLOW: 256,
  MS_NOATIME: 1024,
  MS_NODIRATIME: 2048,
  MS_BIND: 4096,
  MS_MOVE: 8192,
  MS_REC: 16384,
  MS_SILENT: 32768,
  MS_UNBINDABLE: 1 << 17,
  MS_PRIVATE: 1 << 18,
  MS_SLAVE: 1 << 19,
  MS_SHARED: 1 << 20,
  MS_RELATIME: 1 << 21,
  MS_STRICTATIME: 1 << 24,
  MS_LAZYTIME: 1 << 25,
} as const;

export const {
  MS_RDONLY,
  MS_NOSUID,
  MS_NODEV,
  MS_NOEXEC,
  MS_REMOUNT,
  MS_NOSYMFOLLOW,
  MS_NOATIME,
  MS_NODIRATIME,
  MS_BIND,
  MS_MOVE,
  MS_REC,
  MS_UNBINDABLE,
  MS_PRIVATE,
  MS_SLAVE,
  MS_SHARED,
  MS_RELATIME,
  MS_STRICTATIME,
} = MS;

/** umount2(2) flags. */
export const MNT = {
  MNT_FORCE: 1,
  MNT_DETACH: 2,
  MNT_EXPIRE: 4,
  UMOUNT_NOFOLLOW: 8,
} as const;

export const { MNT_FORCE, MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW } = MNT;

/** prctl(2) options the course uses. */
export const PR = {
  PR_SET_PDEATHSIG: 1,
  PR_GET_PDEATHSIG: 2,
  PR_GET_DUMPABLE: 3,
  PR_SET_DUMPABLE: 4,
  PR_SET_NAME: 15,
  PR_GET_SECCOMP: 21,
  PR_SET_SECCOMP: 22,
  PR_CAPBSET_READ: 23,
  PR_CAPBSET_DROP: 24,
  PR_SET_CHILD_SUBREAPER: 36,
  PR_SET_NO_NEW_PRIVS: 38,
  PR_GET_NO_NEW_PRIVS: 39,
  PR_CAP_AMBIENT: 47,
} as const;

export const {
  PR_SET_PDEATHSIG,
  PR_GET_PDEATHSIG,
  PR_GET_DUMPABLE,
  PR_SET_DUMPABLE,
  PR_SET_NAME,
  PR_GET_SECCOMP,
  PR_SET_SECCOMP,
  PR_CAPBSET_READ,
  PR_CAPBSET_DROP,
  PR_SET_CHILD_SUBREAPER,
  PR_SET_NO_NEW_PRIVS,
  PR_GET_NO_NEW_PRIVS,
  PR_CAP_AMBIENT,
} = PR;

/** PR_CAP_AMBIENT's second argument. */
export const PR_CAP_AMBIENT_CLEAR_ALL = 4;

/** fcntl(2) commands and flags: enough to make an fd survive execve (see execve in syscalls.ts). */
export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const FD_CLOEXEC = 1;

/** open(2)/openat(2)/openat2(2) flags. O_DIRECTORY and O_NOFOLLOW are not the same on arm64. */
export const O = {
  O_WRONLY: 1,
  O_RDWR: 2,
  O_CREAT: 0o100,
  O_EXCL: 0o200,
  O_NOCTTY: 0o400,
  O_TRUNC: 0o1000,
  O_NONBLOCK: 0o4000,
  O_APPEND: 0o2000,
  O_DIRECTORY: process.arch === "arm64" ? 0o40000 : 0o200000,
  O_NOFOLLOW: process.arch === "arm64" ? 0o100000 : 0o400000,
  O_CLOEXEC: 0o2000000,
  O_PATH: 0o10000000,
} as const;

export const { O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_NOCTTY, O_TRUNC, O_NONBLOCK, O_APPEND, O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC, O_PATH } = O;
export const O_RDONLY = 0;

/** The dirfd that means "the current directory" in the *at(2) calls. */
export const AT_FDCWD = -100;

/** Flags of the *at(2) calls, statx(2) and mount_setattr(2). */
export const AT = {
  AT_SYMLINK_NOFOLLOW: 0x100,
  AT_NO_AUTOMOUNT: 0x800,
  AT_EMPTY_PATH: 0x1000,
  AT_RECURSIVE: 0x8000,
} as const;

export const { AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT, AT_EMPTY_PATH, AT_RECURSIVE } = AT;

/** openat2(2)'s `resolve` field (struct open_how): how the path may be walked. */
export const RESOLVE = {
  RESOLVE_NO_XDEV: 0x01,
  RESOLVE_NO_MAGICLINKS: 0x02,
  RESOLVE_NO_SYMLINKS: 0x04,
  RESOLVE_BENEATH: 0x08,
  RESOLVE_IN_ROOT: 0x10,
  RESOLVE_CACHED: 0x20,
} as const;

export const { RESOLVE_NO_XDEV, RESOLVE_NO_MAGICLINKS, RESOLVE_NO_SYMLINKS, RESOLVE_BENEATH, RESOLVE_IN_ROOT, RESOLVE_CACHED } = RESOLVE;

/** mount_setattr(2)'s attr_set and attr_clr (struct mount_attr). */
export const MOUNT_ATTR = {
  MOUNT_ATTR_RDONLY: 0x1,
  MOUNT_ATTR_NOSUID: 0x2,
  MOUNT_ATTR_NODEV: 0x4,
  MOUNT_ATTR_NOEXEC: 0x8,
  MOUNT_ATTR_NOATIME: 0x10,
  MOUNT_ATTR_STRICTATIME: 0x20,
  MOUNT_ATTR_NODIRATIME: 0x80,
  MOUNT_ATTR_IDMAP: 0x100000,
  MOUNT_ATTR_NOSYMFOLLOW: 0x200000,
} as const;

export const {
  MOUNT_ATTR_RDONLY,
  MOUNT_ATTR_NOSUID,
  MOUNT_ATTR_NODEV,
  MOUNT_ATTR_NOEXEC,
  MOUNT_ATTR_NOATIME,
  MOUNT_ATTR_STRICTATIME,
  MOUNT_ATTR_NODIRATIME,
  MOUNT_ATTR_IDMAP,
  MOUNT_ATTR_NOSYMFOLLOW,
} = MOUNT_ATTR;

/** open_tree(2)'s flags: OPEN_TREE_CLONE makes a detached copy of the mount (an idmapped mount starts as one). */
export const OPEN_TREE = {
  OPEN_TREE_CLONE: 0x1,
  OPEN_TREE_CLOEXEC: O.O_CLOEXEC,
} as const;

export const { OPEN_TREE_CLONE, OPEN_TREE_CLOEXEC } = OPEN_TREE;

/** move_mount(2)'s flags: the source or the target given as an fd alone (empty path). */
export const MOVE_MOUNT = {
  MOVE_MOUNT_F_EMPTY_PATH: 0x4,
  MOVE_MOUNT_T_EMPTY_PATH: 0x40,
} as const;

export const { MOVE_MOUNT_F_EMPTY_PATH, MOVE_MOUNT_T_EMPTY_PATH } = MOVE_MOUNT;

/** File type bits: of st_mode/stx_mode, and for mknod(2). */
export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;

/** waitpid(2) options. */
export const W = {
  WNOHANG: 1,
  WUNTRACED: 2,
  WCONTINUED: 8,
} as const;

export const { WNOHANG, WUNTRACED, WCONTINUED } = W;

/** Capabilities, as numbered in linux/capability.h; CAP_CHECKPOINT_RESTORE (Linux 5.9) is the last. */
export const CAP = {
  CAP_CHOWN: 0,
  CAP_DAC_OVERRIDE: 1,
  CAP_DAC_READ_SEARCH: 2,
  CAP_FOWNER: 3,
  CAP_FSETID: 4,
  CAP_KILL: 5,
  CAP_SETGID: 6,
  CAP_SETUID: 7,
  CAP_SETPCAP: 8,
  CAP_LINUX_IMMUTABLE: 9,
  CAP_NET_BIND_SERVICE: 10,
  CAP_NET_BROADCAST: 11,
  CAP_NET_ADMIN: 12,
  CAP_NET_RAW: 13,
  CAP_IPC_LOCK: 14,
  CAP_IPC_OWNER: 15,
  CAP_SYS_MODULE: 16,
  CAP_SYS_RAWIO: 17,
  CAP_SYS_CHROOT: 18,
  CAP_SYS_PTRACE: 19,
  CAP_SYS_PACCT: 20,
  CAP_SYS_ADMIN: 21,
  CAP_SYS_BOOT: 22,
  CAP_SYS_NICE: 23,
  CAP_SYS_RESOURCE: 24,
  CAP_SYS_TIME: 25,
  CAP_SYS_TTY_CONFIG: 26,
  CAP_MKNOD: 27,
  CAP_LEASE: 28,
  CAP_AUDIT_WRITE: 29,
  CAP_AUDIT_CONTROL: 30,
  CAP_SETFCAP: 31,
  CAP_MAC_OVERRIDE: 32,
  CAP_MAC_ADMIN: 33,
  CAP_SYSLOG: 34,
  CAP_WAKE_ALARM: 35,
  CAP_BLOCK_SUSPEND: 36,
  CAP_AUDIT_READ: 37,
  CAP_PERFMON: 38,
  CAP_BPF: 39,
  CAP_CHECKPOINT_RESTORE: 40,
} as const;

export type CapabilityName = keyof typeof CAP;

export const {
  CAP_CHOWN,
  CAP_DAC_OVERRIDE,
  CAP_DAC_READ_SEARCH,
  CAP_FOWNER,
  CAP_FSETID,
  CAP_KILL,
  CAP_SETGID,
  CAP_SETUID,
  CAP_SETPCAP,
  CAP_LINUX_IMMUTABLE,
  CAP_NET_BIND_SERVICE,
  CAP_NET_BROADCAST,
  CAP_NET_ADMIN,
  CAP_NET_RAW,
  CAP_IPC_LOCK,
  CAP_IPC_OWNER,
  CAP_SYS_MODULE,
  CAP_SYS_RAWIO,
  CAP_SYS_CHROOT,
  CAP_SYS_PTRACE,
  CAP_SYS_PACCT,
  CAP_SYS_ADMIN,
  CAP_SYS_BOOT,
  CAP_SYS_NICE,
  CAP_SYS_RESOURCE,
  CAP_SYS_TIME,
  CAP_SYS_TTY_CONFIG,
  CAP_MKNOD,
  CAP_LEASE,
  CAP_AUDIT_WRITE,
  CAP_AUDIT_CONTROL,
  CAP_SETFCAP,
  CAP_MAC_OVERRIDE,
  CAP_MAC_ADMIN,
  CAP_SYSLOG,
  CAP_WAKE_ALARM,
  CAP_BLOCK_SUSPEND,
  CAP_AUDIT_READ,
  CAP_PERFMON,
  CAP_BPF,
  CAP_CHECKPOINT_RESTORE,
} = CAP;

/** seccomp(2) operation and flags. */
export const SECCOMP_SET_MODE_FILTER = 1;
export const SECCOMP_FILTER_FLAG = {
  SECCOMP_FILTER_FLAG_TSYNC: 1,
  SECCOMP_FILTER_FLAG_LOG: 2,
  SECCOMP_FILTER_FLAG_SPEC_ALLOW: 4,
  SECCOMP_FILTER_FLAG_NEW_LISTENER: 8,
  SECCOMP_FILTER_FLAG_TSYNC_ESRCH: 16,
} as const;

export const { SECCOMP_FILTER_FLAG_TSYNC, SECCOMP_FILTER_FLAG_TSYNC_ESRCH } = SECCOMP_FILTER_FLAG;

/** What a seccomp filter returns for a call; the low 16 bits carry data (the errno for ERRNO). */
export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_KILL_THREAD = 0;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;

/** seccomp_data.arch values (linux/audit.h): an ELF machine number with 64-bit and little-endian bits. */
export const AUDIT_ARCH_X86_64 = 0xc000003e;
export const AUDIT_ARCH_AARCH64 = 0xc00000b7;

/** Builds a dev_t the way glibc's makedev() does. */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return ((ma & 0xfffff000n) << 32n) | ((ma & 0xfffn) << 8n) | ((mi & 0xffffff00n) << 12n) | (mi & 0xffn);
}

/** syscall(2) numbers for calls glibc has no wrapper for (the whole table: syscall-numbers.ts). */
export const SYS_pivot_root: number = SYS.pivot_root;
