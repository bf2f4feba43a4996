import { createHash } from "node:crypto";
import type { Tree } from "./commitGraph.js";

/**
 * Git's objects for the Git Data API: a commit's files as trees (one per
 * folder, each with its own SHA) and blobs. The fake keeps a commit's files as
 * path → content; an entry that is not a regular file — an executable, a
 * symlink (its content is its target), a submodule (its content is the
 * commit it points at) — is its content tagged with its mode (`special`), so
 * that merges and diffs compare it as one value, as git compares mode and
 * object together.
 */

export type Mode = "100644" | "100755" | "120000" | "160000";

const TAG = "\u0000mode ";

/** The entry of a file that is not a regular one. */
export function special(mode: Exclude<Mode, "100644">, content: string): string {
  return `${TAG}${mode}\u0000${content}`;
}

/** An entry's mode and content. */
export function entryOf(value: string): { mode: Mode; content: string } {
  if (!value.startsWith(TAG)) return { mode: "100644", content: value };
  const end = value.indexOf("\u0000", TAG.length);
  return { mode: value.slice(TAG.length, end) as Mode, content: value.slice(end + 1) };
}

/** One entry of a tree, as the Git Data API lists it (`path` relative to the tree listed). */
export interface TreeItem {
  path: string;
  mode: Mode | "040000";
  type: "blob" | "tree" | "commit";
  sha: string;
  /** Blobs only. */
  size?: number;
}

/** A folder of a commit: its tree's SHA and its entries by name. */
export interface Folder {
  sha: string;
  items: TreeItem[];
}

/** A blob's SHA, as git computes it. */
export function blobSha(content: string): string {
  const bytes = Buffer.from(content);
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/**
 * Every folder of a commit's files by its path (`""` the root), each with its
 * direct entries in git's order, and every blob by SHA. A tree's SHA is a hash
 * of its entries (not git's exact encoding: the fake needs it to be stable and
 * to change with them).
 */
export function gitObjects(files: Tree): { folders: Map<string, Folder>; blobs: Map<string, string> } {
  const children = new Map<string, Map<string, { mode: Mode; content: string } | "folder">>([["", new Map()]]);
  for (const [path, value] of files) {
    const names = path.split("/");
    for (let depth = 0; depth < names.length; depth += 1) {
      const folder = names.slice(0, depth).join("/");
      let entries = children.get(folder);
      if (entries === undefined) children.set(folder, (entries = new Map()));
      entries.set(names[depth]!, depth === names.length - 1 ? entryOf(value) : "folder");
    }
  }
  const folders = new Map<string, Folder>();
  const blobs = new Map<string, string>();
  const build = (folder: string): Folder => {
    const items: TreeItem[] = [];
    for (const [name, entry] of [...children.get(folder)!].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const path = folder === "" ? name : `${folder}/${name}`;
      if (entry === "folder") {
        items.push({ path: name, mode: "040000", type: "tree", sha: build(path).sha });
      } else if (entry.mode === "160000") {
        items.push({ path: name, mode: entry.mode, type: "commit", sha: entry.content });
      } else {
        const sha = blobSha(entry.content);
        blobs.set(sha, entry.content);
        items.push({ path: name, mode: entry.mode, type: "blob", sha, size: Buffer.byteLength(entry.content) });
      }
    }
    const sha = createHash("sha1")
      .update(`tree ${JSON.stringify(items.map(({ path, mode, sha: object }) => [path, mode, object]))}`)
      .digest("hex");
    const built = { sha, items };
    folders.set(folder, built);
    return built;
  };
  build("");
  return { folders, blobs };
}
