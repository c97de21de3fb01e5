import { errnoName } from "./errno.js";

/**
 * A failed system call. Carries what a learner needs to fix it: the call, its arguments
 * (flags already decoded to names), the errno name and number, the C library's message,
 * and for the usual mistakes a one-line hint.
 */
export class SyscallError extends Error {
  override name = "SyscallError";
  readonly code: string;
  readonly hint: string | undefined;

  constructor(
    readonly call: string,
    readonly args: readonly unknown[],
    readonly errno: number,
    readonly description: string,
  ) {
    const code = errnoName(errno);
    const hint = hintFor(call, code);
    super(`${call}(${args.map(formatArg).join(", ")}) failed: ${code} (${description})${hint ? ` — ${hint}` : ""}`);
    this.code = code;
    this.hint = hint;
  }
}

function formatArg(arg: unknown): string {
  if (typeof arg === "string") return JSON.stringify(arg);
  if (Array.isArray(arg)) return `[${arg.map(formatArg).join(", ")}]`;
  return String(arg);
}

// Mistakes people make in this course, keyed "call:ERRNO" first, then "ERRNO" alone.
const HINTS: Record<string, string> = {
  "pivot_root:EINVAL":
    "the new root must be a mount point (bind-mount it onto itself first), no mount on the way may be shared (make / private first), and put_old must be inside the new root",
  "pivot_root:EBUSY": "the new root is on the same mount as the current root: bind-mount it onto itself first, so it is a mount point of its own",
  "umount2:EBUSY": "still in use: a process has its cwd or an open file there, or something is mounted below it (MNT_DETACH detaches lazily)",
  "umount2:EINVAL": "not a mount point, or the flags are wrong",
  "mount:ENOENT": "the mount target (or the bind source) does not exist: create the directory or file first",
  "mount:EINVAL":
    "bad flags for this kind of mount: propagation changes (MS_PRIVATE...) need an existing mount point and no other flags than MS_REC; a read-only bind needs a second MS_REMOUNT|MS_BIND|MS_RDONLY call",
  "mount:EBUSY": "already mounted there",
  "mount:ENODEV": "this filesystem type is not known to the kernel (is the module loaded?)",
  "setns:EINVAL":
    "the fd is not a namespace of the type asked for, or (mount namespace) the thread shares its filesystem attributes with others",
  "unshare:EINVAL": "an unknown flag, or a combination the kernel refuses",
  "execve:ENOENT": "no such file in the current root: check the path (and PATH lookup) inside the container's filesystem",
  "execve:EACCES": "the file is not executable, or a directory on its path is not searchable",
  "execve:ENOEXEC": "not a binary or script the kernel can run (a script without #! line?)",
  "chroot:ENOENT": "the new root directory does not exist",
  "chdir:ENOENT": "no such directory in the current root",
  "kill:ESRCH": "no such process (it has already exited?)",
  "openat2:ENOENT": "no such file inside the root (openInRoot: pass mkdirs or create to make what is missing)",
  "openat:ENOENT": "no such file relative to the dirfd (openInRoot: pass mkdirs or create to make what is missing)",
  "openat2:ENOSYS": "the kernel is older than 5.6 (or a seccomp filter hides openat2): openInRoot falls back to a walk by itself",
  "openat2:ELOOP": "a symlink loop, too many symlinks, or a /proc magic link on the path (RESOLVE_NO_MAGICLINKS refuses those)",
  "openat2:EAGAIN": "a rename raced the lookup of a \"..\": try again",
  "openat2:E2BIG": "struct open_how is larger than this kernel knows",
  "openat:ELOOP": "the final component is a symlink and O_NOFOLLOW was given (or a symlink loop)",
  "openat:ENOTDIR": "a component of the path, or the dirfd, is not a directory",
  "mkdirat:ENOENT": "the parent directory does not exist (or the dirfd's directory was removed)",
  "readlinkat:EINVAL": "not a symbolic link",
  "statx:EBADF": "the fd is not open (closed already?)",
  "close:EBADF": "the fd is not open (closed twice?)",
  "mount_setattr:EINVAL": "the path is not a mount point (bind-mount it onto itself first), or an attribute or flag this kernel does not know",
  "mount_setattr:ENOSYS": "the kernel is older than 5.12: makeReadOnlyRecursive remounts each mount instead, by itself",
  "move_mount:EINVAL":
    "the target is not in this process's mount namespace (a path through /proc/PID/root, or an fd opened in another namespace, names another's mounts), or the source is neither a detached tree nor a mount of this namespace",
  "open_tree:EINVAL": "a flag this kernel does not know, or OPEN_TREE_CLONE without a path to copy",
  "capset:EPERM":
    "capset can only lower the permitted set (a capability dropped cannot be added back), and the inheritable set cannot grow past the bounding set without CAP_SETPCAP",
  "capset:EINVAL": "bad header (this layer uses _LINUX_CAPABILITY_VERSION_3), or effective not within permitted",
  "prctl:EPERM":
    "this option needs a capability the thread lacks: PR_CAPBSET_DROP needs CAP_SETPCAP, so drop from the bounding set before capset removes it",
  "prctl:EINVAL": "an option or argument this kernel does not know (a capability past /proc/sys/kernel/cap_last_cap, or PR_CAP_AMBIENT before Linux 4.3)",
  "seccomp:EACCES": "loading a filter without CAP_SYS_ADMIN needs no_new_privs: call setNoNewPrivs() first",
  "seccomp:EINVAL": "a malformed filter (it must end in a return, and jump only forward inside it), or a flag this kernel does not know (TSYNC_ESRCH: Linux 5.7)",
  "seccomp:ESRCH": "another thread of this process has a filter of its own, so TSYNC cannot give them all the same one",
  "waitpid:ECHILD":
    "no such child to wait for: it is not a child of this process, or it was reaped already (Node's child_process reaps the children it spawned)",
  "waitpid:EINTR": "a signal interrupted the wait: call waitpid again",
  "signal:EINVAL": "no such signal, or one whose disposition cannot change (SIGKILL, SIGSTOP)",
  "openInRoot:ENOTDIR":
    "the root filesystem has something else than a plain directory where one is needed (a symlink at /proc, /sys or /dev, or at a mount target): refusing rather than following it; fix the image",
  "openInRoot:EISDIR": "a directory where a file is needed (a file bind-mounted needs a file as its target)",
  "openInRoot:EINVAL": "neither a file nor a directory where a file is needed, or a flag openInRoot does not take",
  "openInRoot:ELOOP": "the path inside the root goes round in symbolic links",
  EPERM: "not permitted: this needs root (sudo), or a capability the process has dropped",
  EACCES: "permission denied: run as root, and check the file's mode",
};

function hintFor(call: string, code: string): string | undefined {
  return HINTS[`${call}:${code}`] ?? HINTS[code];
}
