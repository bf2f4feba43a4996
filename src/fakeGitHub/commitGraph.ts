import { createHash } from "node:crypto";

/** A commit's files: path → content. */
export type Tree = ReadonlyMap<string, string>;

export interface Commit {
  sha: string;
  parents: string[];
  tree: Tree;
  message: string;
  author: string;
  at: string;
}

/** One file of a diff, as GitHub lists a pull request's or a comparison's files. */
export interface FileChange {
  filename: string;
  status: "added" | "modified" | "removed" | "renamed";
  /** A renamed file's old name. */
  previous_filename?: string;
  additions: number;
  deletions: number;
  changes: number;
  patch: string;
}

export type MergeResult = { ok: true; tree: Tree } | { ok: false; conflicts: string[] };

/**
 * The commits of one repository: enough git for branches, merge bases,
 * three-way merges and diffs. Shas are content hashes with a counter, so a
 * simulation run twice gives the same shas.
 */
export class CommitGraph {
  readonly #commits = new Map<string, Commit>();
  #counter = 0;

  get(sha: string): Commit | undefined {
    return this.#commits.get(sha);
  }

  create(parents: readonly string[], tree: Tree, message: string, author: string, at: string): Commit {
    for (const parent of parents) if (!this.#commits.has(parent)) throw new Error(`no commit ${parent}`);
    const hash = createHash("sha1");
    hash.update(
      JSON.stringify([this.#counter++, parents, message, author, at, [...tree].sort(([a], [b]) => a.localeCompare(b))]),
    );
    const commit: Commit = { sha: hash.digest("hex"), parents: [...parents], tree: new Map(tree), message, author, at };
    this.#commits.set(commit.sha, commit);
    return commit;
  }

  /** A commit and every commit it descends from. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(this.#commits.get(next)?.parents ?? []));
    }
    return seen;
  }

  /** Whether `ancestor` is `sha` or one of its ancestors. */
  isAncestor(ancestor: string, sha: string): boolean {
    return this.ancestors(sha).has(ancestor);
  }

  /**
   * The best common ancestor of two commits: the common ancestor made last,
   * which no other common ancestor descends from (a commit is made after its
   * parents, so the commits in the order they were made are in topological order).
   */
  mergeBase(a: string, b: string): string | undefined {
    const ofA = this.ancestors(a);
    const ofB = this.ancestors(b);
    return [...this.#commits.keys()].reverse().find((sha) => ofA.has(sha) && ofB.has(sha));
  }

  /** Commits reachable from `head` and not from `base`, oldest first. */
  between(base: string, head: string): Commit[] {
    const excluded = this.ancestors(base);
    const included = this.ancestors(head);
    return [...this.#commits.values()].filter((commit) => included.has(commit.sha) && !excluded.has(commit.sha));
  }

  /** Merges commit `theirs` into commit `ours`: a file changed differently on both sides since their merge base is a conflict. */
  merge(ours: string, theirs: string): MergeResult {
    const base = this.mergeBase(ours, theirs);
    return mergeTrees(
      base === undefined ? new Map() : this.#commits.get(base)!.tree,
      this.#commits.get(ours)!.tree,
      this.#commits.get(theirs)!.tree,
    );
  }
}

/** A three-way merge of trees; a deleted file is `undefined`. */
export function mergeTrees(base: Tree, ours: Tree, theirs: Tree): MergeResult {
  const merged = new Map<string, string>();
  const conflicts: string[] = [];
  for (const path of new Set([...base.keys(), ...ours.keys(), ...theirs.keys()])) {
    const [b, o, t] = [base.get(path), ours.get(path), theirs.get(path)];
    if (o !== t && o !== b && t !== b) {
      conflicts.push(path);
      continue;
    }
    const chosen = o === b ? t : o;
    if (chosen !== undefined) merged.set(path, chosen);
  }
  return conflicts.length > 0 ? { ok: false, conflicts: conflicts.sort() } : { ok: true, tree: merged };
}

/**
 * The files that differ from `from` to `to`, by path. A file removed under one
 * name and added with the same content under another is one rename, as git
 * finds it (git also finds renames with small edits; the fake only exact ones).
 */
export function diffTrees(from: Tree, to: Tree): FileChange[] {
  const changes: FileChange[] = [];
  const removed = new Map<string, string>();
  for (const path of from.keys()) if (!to.has(path)) removed.set(from.get(path)!, path);
  const renamedFrom = new Set<string>();
  for (const path of [...new Set([...from.keys(), ...to.keys()])].sort()) {
    const before = from.get(path);
    const after = to.get(path);
    if (before === after || renamedFrom.has(path)) continue;
    const previous = before === undefined && after !== undefined ? removed.get(after) : undefined;
    if (previous !== undefined && !renamedFrom.has(previous)) {
      renamedFrom.add(previous);
      changes.push({
        filename: path,
        status: "renamed",
        previous_filename: previous,
        additions: 0,
        deletions: 0,
        changes: 0,
        patch: "",
      });
      continue;
    }
    const minus = before === undefined ? [] : lines(before);
    const plus = after === undefined ? [] : lines(after);
    changes.push({
      filename: path,
      status: before === undefined ? "added" : after === undefined ? "removed" : "modified",
      additions: plus.length,
      deletions: minus.length,
      changes: plus.length + minus.length,
      patch: `@@ -${minus.length === 0 ? 0 : 1},${minus.length} +${plus.length === 0 ? 0 : 1},${plus.length} @@\n${[...minus.map((line) => `-${line}`), ...plus.map((line) => `+${line}`)].join("\n")}`,
    });
  }
  // A rename's old name sorts after its new one only sometimes: drop it wherever it was listed.
  return changes.filter((change) => change.status === "renamed" || !renamedFrom.has(change.filename));
}

function lines(text: string): string[] {
  return text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
}
