import type { List, ListItem, Root, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { toString } from "mdast-util-to-string";
import { gfm } from "micromark-extension-gfm";

/** Markdown as GitHub reads it (CommonMark + GFM), for asserting what a person sees. */
export function tree(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

/** The first list after the heading whose text is `heading`. */
export function listAfter(root: Root, heading: string): List {
  const at = root.children.findIndex((n) => n.type === "heading" && toString(n) === heading);
  const list = root.children.slice(at + 1).find((n): n is List => n.type === "list");
  if (at < 0 || list === undefined) throw new Error(`no list after heading "${heading}"`);
  return list;
}

export function itemText(item: ListItem): string {
  return toString(item);
}

export function nodesOfType<T extends RootContent["type"]>(root: Root, type: T): Extract<RootContent, { type: T }>[] {
  return root.children.filter((n): n is Extract<RootContent, { type: T }> => n.type === type);
}

export { toString };
