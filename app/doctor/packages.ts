/**
 * The programs the doctor can install, and their packages for each package manager it knows.
 * Debian's and Ubuntu's names are the ones `.ci/run` installs; Fedora's are from its packaging.
 */
export type PackageManager = "apt-get" | "dnf";

/** In the order they are looked for: a Debian machine with dnf on it still installs with apt-get. */
const PACKAGE_MANAGERS: readonly PackageManager[] = ["apt-get", "dnf"];

export const PACKAGES = {
  ip: { "apt-get": "iproute2", dnf: "iproute" },
  // Fedora and RHEL 9 call the nftables-backed iptables iptables-nft (RHEL 8 ships it as "iptables").
  iptables: { "apt-get": "iptables", dnf: "iptables-nft" },
  // Fedora's busybox is static (built against musl) but goes to /usr/sbin: where /usr/sbin is not
  // merged into /usr/bin yet (before Fedora 42) that is not the /bin/busybox the checks build their
  // image from, and the doctor still reports it after the install. RHEL has it only in EPEL.
  busybox: { "apt-get": "busybox-static", dnf: "busybox" },
  unshare: { "apt-get": "util-linux", dnf: "util-linux" },
  git: { "apt-get": "git", dnf: "git" },
} as const satisfies Record<string, Record<PackageManager, string>>;

export type InstallableProgram = keyof typeof PACKAGES;

/** The first package manager the machine has, if any. */
export function findPackageManager(which: (program: string) => string | undefined): PackageManager | undefined {
  return PACKAGE_MANAGERS.find((manager) => which(manager) !== undefined);
}

/**
 * The commands that install `packages`, in order. apt-get reads its package lists first: a fresh
 * machine's are often empty or stale (cloud images ship without them), and install then finds
 * nothing. dnf refreshes its metadata itself.
 */
export function installCommands(manager: PackageManager, packages: string[]): string[][] {
  return manager === "apt-get" ? [["apt-get", "update"], ["apt-get", "install", "-y", ...packages]] : [["dnf", "install", "-y", ...packages]];
}

/** The commands as a person would type them on one line. */
export function formatCommands(commands: string[][]): string {
  return commands.map((command) => command.join(" ")).join(" && ");
}

/** The fix of a finding about a missing program: the command, or without a package manager, Debian's name. */
export function installFix(manager: PackageManager | undefined, program: InstallableProgram): string {
  const debian = PACKAGES[program]["apt-get"];
  return manager ? `run: ${manager} install ${PACKAGES[program][manager]}` : `install ${debian} (Debian's name for it; there is no apt-get or dnf here)`;
}
