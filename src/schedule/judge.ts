/**
 * The check-in of the real change, path by path, as git records it: both
 * names of a rename (a rename is a deletion and an addition, each judged),
 * file modes, sizes, protected paths and symlink targets. Pure, and one for
 * both sides: the runner's verify step reads the entries from git, the app's
 * check-in from the pull request's files and its head's tree.
 */
import { posix } from "node:path";
import { codeSpan, truncate } from "../base/markdownText.js";
import { matchesAny } from "../plan/glob.js";
import type { Scope } from "./runScope.js";

/** One path of the change, as `git diff-tree --raw --no-renames` lists it (a rename is two). */
export interface Entry {
  path: string;
  /** `000000` when the path is deleted. */
  newMode: string;
  /** The size of the new blob (not for deletions and submodules). */
  size?: number;
  /** What a new symlink points at. */
  target?: string;
  /** A changed `package.json`, before (absent when new) and after. */
  manifest?: { before?: string; after: string };
}

/** What the judge allows beside the scope: a file over `maxFileBytes` is refused (the runner's `max-file-bytes`; none when not given). */
export interface Limits {
  maxFileBytes?: number;
}

export type Verdict = { kind: "keep" } | { kind: "outOfScope" } | { kind: "refused"; why: string };

/**
 * Paths no batch changes unless its scope's `allowProtected` names them,
 * whatever `allow` says, each with the reason. They run code or fetch code
 * outside the change's own files — with the repository's credentials, at
 * install time, or on a developer's machine by themselves — or decide who
 * reviews. Dependency manifests and lockfiles (package.json,
 * package-lock.json…) are not here: a feature adds dependencies as a matter of
 * course; what a package.json makes npm run or fetch at install time is
 * checked where it is declared (`installScriptProblem`).
 */
export const PROTECTED: ReadonlyArray<{ globs: readonly string[]; why: string }> = [
  {
    globs: [".github/**"],
    why: "GitHub configuration: workflows and actions run with the repository's credentials, and CODEOWNERS, Dependabot and the coordinator's own config decide review and automation",
  },
  { globs: ["CODEOWNERS", "docs/CODEOWNERS"], why: "code owners decide who must review a change" },
  { globs: [".gitmodules"], why: "submodules fetch other repositories" },
  {
    globs: [
      "**/.npmrc",
      "**/.yarnrc",
      "**/.yarnrc.yml",
      ".yarn/plugins/**",
      ".yarn/releases/**",
      "**/.pnpmfile.cjs",
      "**/pnpm-workspace.yaml",
      "**/bunfig.toml",
    ],
    why: "package-manager configuration: it chooses the registry dependencies come from, and runs code at install time (yarnPath, plugins, pnpm hooks, preloads)",
  },
  {
    globs: ["**/pip.conf", "**/.pypirc", ".cargo/config", ".cargo/config.toml", ".mvn/**", "gradle/wrapper/**"],
    why: "build and package configuration: registries, and wrappers that are downloaded and run",
  },
  { globs: [".devcontainer/**", ".envrc", ".husky/**"], why: "it runs code on a developer's machine by itself" },
];

/** Why a path is protected, or undefined. */
export function protectedReason(path: string, scope: Scope): string | undefined {
  if (matchesAny(path, scope.allowProtected)) return undefined;
  return PROTECTED.find((entry) => matchesAny(path, entry.globs))?.why;
}

/** Whether the batch may change a path: inside `allow`, outside `deny` (protected paths aside). */
export function inScope(path: string, scope: Pick<Scope, "allow" | "deny">): boolean {
  return matchesAny(path, scope.allow) && !matchesAny(path, scope.deny);
}

/** The scripts npm runs by itself on `npm install` and `npm ci` in the package. */
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare"];
const DEPENDENCIES = [
  "dependencies",
  "devDependencies",
  "optionalDependencies",
  "peerDependencies",
  "overrides",
  "resolutions",
];

/** A version range, a tag, a `npm:` alias or a workspace: a dependency from the registry (no URL, git, path or GitHub shorthand). */
function fromRegistry(spec: unknown): boolean {
  if (typeof spec === "object" && spec !== null) return Object.values(spec).every(fromRegistry);
  if (typeof spec !== "string") return false;
  return (
    /^(npm:(@[\w.-]+\/)?[\w.-]+(@[^:/\\]*)?|workspace:[^:/\\]*|[^:/\\]*)$/.test(spec.trim()) &&
    !spec.trim().startsWith(".")
  );
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * What a change to a package.json makes npm run or fetch at install time, on
 * every machine that installs it: a new or changed install script, a
 * dependency taken from outside the registry, a new `packageManager` (which
 * Corepack downloads and runs). Undefined when there is none.
 */
export function installScriptProblem(before: string | undefined, after: string): string | undefined {
  let old: Record<string, unknown>;
  let now: Record<string, unknown>;
  try {
    old = record(before === undefined ? {} : JSON.parse(before));
    now = record(JSON.parse(after));
  } catch {
    return "not JSON, so what it runs at install time cannot be checked";
  }
  for (const script of INSTALL_SCRIPTS) {
    if (record(old.scripts)[script] !== record(now.scripts)[script])
      return `it changes the \`${script}\` script, which npm runs at install time`;
  }
  for (const section of DEPENDENCIES) {
    for (const [name, spec] of Object.entries(record(now[section]))) {
      if (!fromRegistry(spec) && JSON.stringify(record(old[section])[name]) !== JSON.stringify(spec)) {
        return `it takes ${codeSpan(truncate(name, 100))} from outside the registry (${codeSpan(truncate(JSON.stringify(spec), 200))})`;
      }
    }
  }
  if (old.packageManager !== now.packageManager)
    return "it changes `packageManager`, which Corepack downloads and runs";
  return undefined;
}

const SYMLINK = "120000";
const SUBMODULE = "160000";

/** Why a symlink's target is refused: it must stay inside the repository, and name what the batch could change itself. */
function targetProblem(path: string, target: string, scope: Scope): string | undefined {
  if (target === "" || posix.isAbsolute(target) || target.includes("\0"))
    return "a symlink pointing outside the repository";
  const resolved = posix.normalize(posix.join(posix.dirname(path), target));
  if (resolved === ".." || resolved.startsWith("../")) return "a symlink pointing outside the repository";
  if (resolved.split("/").some((part) => part.toLowerCase() === ".git")) return "a symlink into git's own folder";
  const guarded = protectedReason(resolved, scope);
  if (guarded !== undefined) return `a symlink to a protected path (${guarded})`;
  if (resolved !== "." && !inScope(resolved, scope)) return "a symlink to a path outside the batch's scope";
  return undefined;
}

/** The verdict on one path of the change. */
export function judge(entry: Entry, scope: Scope, limits: Limits = {}): Verdict {
  const guarded = protectedReason(entry.path, scope);
  if (guarded !== undefined) return { kind: "refused", why: `protected: ${guarded}` };
  if (entry.newMode === SUBMODULE && !scope.allowSubmodules)
    return { kind: "refused", why: "a submodule, which the batch's scope does not allow" };
  if (entry.newMode === SYMLINK) {
    if (!scope.allowSymlinks) return { kind: "refused", why: "a symlink, which the batch's scope does not allow" };
    const problem = targetProblem(entry.path, entry.target ?? "", scope);
    if (problem !== undefined) return { kind: "refused", why: problem };
  }
  if (entry.manifest !== undefined && !matchesAny(entry.path, scope.allowProtected)) {
    const problem = installScriptProblem(entry.manifest.before, entry.manifest.after);
    if (problem !== undefined) return { kind: "refused", why: `protected: ${problem}` };
  }
  if (entry.size !== undefined && limits.maxFileBytes !== undefined && entry.size > limits.maxFileBytes) {
    return {
      kind: "refused",
      why: `${entry.size} bytes, over the ${limits.maxFileBytes} a file may have (\`max-file-bytes\`)`,
    };
  }
  return inScope(entry.path, scope) ? { kind: "keep" } : { kind: "outOfScope" };
}
