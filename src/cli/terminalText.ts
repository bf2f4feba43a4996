import type { AlignType, Code, List, PhrasingContent, Root, RootContent, Table } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { displayWidth, pad, wrap } from "./wrap.js";

/**
 * The Markdown the app posts, as text for a terminal of `width` columns: tables
 * as aligned columns, paragraphs and list items wrapped, emphasis and code
 * marks dropped, HTML (the app's hidden markers, `<details>`) left out, and each
 * Mermaid diagram replaced by a line that says how to get its source.
 */
export function terminalText(markdown: string, width: number): string {
  const root: Root = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  return `${blocks(root.children, width).join("\n")}\n`;
}

/** Blocks one after another, a blank line between two unless `tight` (the blocks of an item of a tight list). */
function blocks(nodes: readonly RootContent[], width: number, tight = false): string[] {
  const out: string[] = [];
  for (const node of nodes) {
    const lines = block(node, width);
    if (lines.length === 0) continue;
    if (out.length > 0 && !tight) out.push("");
    out.push(...lines);
  }
  return out;
}

function block(node: RootContent, width: number): string[] {
  switch (node.type) {
    case "heading": {
      const lines = wrap(inline(node.children), width);
      const rule = node.depth <= 2 ? "═" : "─";
      return [...lines, rule.repeat(Math.max(...lines.map(displayWidth)))];
    }
    case "paragraph":
      return wrap(inline(node.children), width);
    case "list":
      return list(node, width);
    case "table":
      return table(node, width);
    case "code":
      return code(node, width);
    case "blockquote":
      return blocks(node.children, width - 2).map((line) => `│ ${line}`.trimEnd());
    case "thematicBreak":
      return ["─".repeat(width)];
    default:
      // HTML (hidden markers, <details>), definitions and footnotes are for the Markdown reader only.
      return [];
  }
}

function list(node: List, width: number): string[] {
  const out: string[] = [];
  const start = node.start ?? 1;
  const numberWidth = String(start + node.children.length - 1).length;
  node.children.forEach((item, index) => {
    const marker =
      item.checked === true
        ? "[x] "
        : item.checked === false
          ? "[ ] "
          : node.ordered === true
            ? `${String(start + index).padStart(numberWidth)}. `
            : "- ";
    const indent = " ".repeat(displayWidth(marker));
    const inner = blocks(item.children, width - indent.length, node.spread !== true);
    if (node.spread === true && index > 0) out.push("");
    inner.forEach((line, at) => out.push(line === "" ? "" : `${at === 0 ? marker : indent}${line}`));
    if (inner.length === 0) out.push(marker.trimEnd());
  });
  return out;
}

function table(node: Table, width: number): string[] {
  const rows = node.children.map((row) => row.children.map((cell) => inline(cell.children).replace(/\s*\n\s*/g, " ")));
  const columns = Math.max(...rows.map((row) => row.length));
  const gap = 2;
  const cellsOf = (column: number) => rows.map((row) => row[column] ?? "");
  const widths = Array.from({ length: columns }, (_, column) => Math.max(1, ...cellsOf(column).map(displayWidth)));
  // The longest word of a column: narrower than that, a cell's words would be cut.
  const words = Array.from({ length: columns }, (_, column) =>
    Math.max(1, ...cellsOf(column).flatMap((cell) => cell.split(" ").map(displayWidth))),
  );
  // Too wide for the terminal: the widest column gives up a column at a time, its cells wrapped; words
  // are cut only when wrapping at spaces cannot make the table fit.
  const tooWide = () => widths.reduce((sum, each) => sum + each, 0) + gap * (columns - 1) > width;
  for (const floor of [(column: number) => words[column]!, () => Math.min(8, ...words)]) {
    while (tooWide()) {
      const shrinkable = widths.map((each, column) => (each > floor(column) ? each : -1));
      const widest = shrinkable.indexOf(Math.max(...shrinkable));
      if (shrinkable[widest]! < 0) break;
      widths[widest] = widths[widest]! - 1;
    }
  }
  const align = (column: number): "left" | "right" | "center" => alignment(node.align?.[column]);
  const line = (row: string[]): string[] => {
    const cells = widths.map((each, column) => wrap(row[column] ?? "", each));
    const height = Math.max(...cells.map((cell) => cell.length));
    return Array.from({ length: height }, (_, at) =>
      cells
        .map((cell, column) => pad(cell[at] ?? "", widths[column]!, align(column)))
        .join(" ".repeat(gap))
        .trimEnd(),
    );
  };
  const [header, ...body] = rows;
  return [...line(header ?? []), widths.map((each) => "─".repeat(each)).join(" ".repeat(gap)), ...body.flatMap(line)];
}

function alignment(align: AlignType | undefined): "left" | "right" | "center" {
  return align === "right" || align === "center" ? align : "left";
}

/** Code as it is, indented; a Mermaid diagram as one line: a terminal cannot draw it. */
function code(node: Code, width: number): string[] {
  if (node.lang === "mermaid") {
    const kind = /^\s*(flowchart|graph)\b/.test(node.value)
      ? "dependency graph"
      : /^\s*gantt\b/.test(node.value)
        ? "schedule as a Gantt chart"
        : "Mermaid diagram";
    return wrap(`(${kind}: run with --markdown to get the Mermaid source)`, width);
  }
  return node.value.split("\n").map((line) => `    ${line}`.trimEnd());
}

/** Phrasing as plain words: the text of emphasis, code and links (with the address when it differs). */
function inline(nodes: readonly PhrasingContent[]): string {
  return nodes
    .map((node): string => {
      switch (node.type) {
        case "text":
        case "inlineCode":
          return node.value;
        case "break":
          return "\n";
        case "link": {
          const text = inline(node.children);
          return text === node.url || node.url.startsWith("mailto:") ? text : `${text} (${node.url})`;
        }
        case "image":
          return node.alt ?? "";
        case "html":
        case "footnoteReference":
        case "imageReference":
          return "";
        default:
          return "children" in node ? inline(node.children) : "";
      }
    })
    .join("");
}
