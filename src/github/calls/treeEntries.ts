import type { IssueRef, Octokit } from "./githubTypes.js";

/** A path's entry in a commit's tree: its mode (`100644`, `100755`, `120000` a symlink, `160000` a submodule, `040000` a folder), type and object. */
export interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
}

type Item = { path?: string; mode?: string; type?: string; sha?: string };

function entryOf(item: Item): TreeEntry | undefined {
  return item.mode === undefined || item.type === undefined || item.sha === undefined
    ? undefined
    : { mode: item.mode, type: item.type, sha: item.sha };
}

/**
 * The entries of `paths` in the tree of commit `sha` (a path absent from it is
 * absent from the answer). One request for the whole tree; where GitHub cuts
 * it short (`truncated`: over 100,000 entries or 7 MB), the folders on the way
 * to each path not found yet, one request each, as GitHub's docs advise.
 */
export async function treeEntries(
  octokit: Octokit,
  where: IssueRef,
  sha: string,
  paths: readonly string[],
): Promise<Map<string, TreeEntry>> {
  const found = new Map<string, TreeEntry>();
  if (paths.length === 0) return found;
  const wanted = new Set(paths);
  const { data: whole } = await octokit.rest.git.getTree({
    owner: where.owner,
    repo: where.repo,
    tree_sha: sha,
    recursive: "1",
  });
  for (const item of whole.tree) {
    const entry = entryOf(item);
    if (entry !== undefined && item.path !== undefined && wanted.has(item.path)) found.set(item.path, entry);
  }
  if (!whole.truncated) return found;
  // Folder path ("" for the root) → its entries by name, each folder read once.
  const folders = new Map<string, Map<string, TreeEntry>>();
  const folder = async (path: string, treeSha: string): Promise<Map<string, TreeEntry>> => {
    let entries = folders.get(path);
    if (entries === undefined) {
      const { data } = await octokit.rest.git.getTree({ owner: where.owner, repo: where.repo, tree_sha: treeSha });
      entries = new Map(
        data.tree.flatMap((item) => {
          const entry = entryOf(item);
          return entry === undefined || item.path === undefined ? [] : [[item.path, entry] as const];
        }),
      );
      folders.set(path, entries);
    }
    return entries;
  };
  for (const path of wanted) {
    if (found.has(path)) continue;
    const names = path.split("/");
    let entries = await folder("", whole.sha);
    for (let depth = 0; depth < names.length; depth += 1) {
      const entry = entries.get(names[depth]!);
      if (entry === undefined) break;
      if (depth === names.length - 1) found.set(path, entry);
      else if (entry.type === "tree") entries = await folder(names.slice(0, depth + 1).join("/"), entry.sha);
      else break;
    }
  }
  return found;
}
