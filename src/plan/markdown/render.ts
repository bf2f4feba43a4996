import type { ListItem, Nodes, Paragraph, PhrasingContent, RootContent, Table } from "mdast";

/**
 * How mdast nodes become text.
 * - `markdown`: Markdown-ish, keeps code spans, emphasis and links as written.
 * - `title`: plain words, but code spans keep their backticks.
 * - `plain`: plain words only (for values that are parsed further: estimates, agents, dependencies).
 */
export type Mode = "markdown" | "title" | "plain";

/** Beyond this nesting the text is still kept, but as plain words gathered without recursion. */
const MAX_DEPTH = 48;

type Block = RootContent | ListItem;

/** The text of any node, gathered iteratively (safe for any nesting). */
export function collectText(node: Nodes): string {
  const parts: string[] = [];
  const stack: Nodes[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === undefined) break;
    if ("value" in current && typeof current.value === "string") {
      parts.push(current.value);
    } else if ("alt" in current && typeof current.alt === "string") {
      parts.push(current.alt);
    }
    if ("children" in current) {
      const children: readonly Nodes[] = current.children;
      if (current.type !== "paragraph" && current.type !== "heading" && isBlockParent(current.type)) parts.push(" ");
      for (let index = children.length - 1; index >= 0; index--) {
        const child = children[index];
        if (child !== undefined) stack.push(child);
      }
    }
  }
  return parts.join("").replace(/\s+/g, " ").trim();
}

function isBlockParent(type: string): boolean {
  return (
    type === "list" ||
    type === "listItem" ||
    type === "blockquote" ||
    type === "table" ||
    type === "tableRow" ||
    type === "tableCell"
  );
}

/** Every code span (`x`) inside a node, in order. */
export function collectCodes(node: Nodes): string[] {
  const codes: string[] = [];
  const stack: Nodes[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === undefined) break;
    if (current.type === "inlineCode") codes.push(current.value);
    if ("children" in current) {
      const children: readonly Nodes[] = current.children;
      for (let index = children.length - 1; index >= 0; index--) {
        const child = children[index];
        if (child !== undefined) stack.push(child);
      }
    }
  }
  return codes;
}

function codeSpan(value: string): string {
  const runs = value.match(/`+/g) ?? [];
  const longest = runs.reduce((max, run) => Math.max(max, run.length), 0);
  const fence = "`".repeat(longest + 1);
  const pad = value.startsWith("`") || value.endsWith("`") ? " " : "";
  return `${fence}${pad}${value}${pad}${fence}`;
}

/** Phrasing content as text in the given mode. */
export function renderInline(nodes: readonly PhrasingContent[], mode: Mode, depth = 0): string {
  let out = "";
  for (const node of nodes) out += renderPhrasing(node, mode, depth);
  return out;
}

function renderPhrasing(node: PhrasingContent, mode: Mode, depth: number): string {
  if (depth > MAX_DEPTH) return collectText(node);
  const markup = mode === "markdown";
  switch (node.type) {
    case "text":
      return node.value;
    case "inlineCode":
      return mode === "plain" ? node.value : codeSpan(node.value);
    case "strong": {
      const inner = renderInline(node.children, mode, depth + 1);
      return markup && inner.trim() !== "" ? `**${inner}**` : inner;
    }
    case "emphasis": {
      const inner = renderInline(node.children, mode, depth + 1);
      return markup && inner.trim() !== "" ? `*${inner}*` : inner;
    }
    case "delete": {
      const inner = renderInline(node.children, mode, depth + 1);
      return markup && inner.trim() !== "" ? `~~${inner}~~` : inner;
    }
    case "link": {
      const inner = renderInline(node.children, mode, depth + 1);
      if (!markup || inner === node.url) return inner === "" ? node.url : inner;
      return inner === "" ? node.url : `[${inner}](${node.url})`;
    }
    case "linkReference":
      return renderInline(node.children, mode, depth + 1);
    case "image":
      return markup ? `![${node.alt ?? ""}](${node.url})` : (node.alt ?? "");
    case "imageReference":
      return node.alt ?? "";
    case "break":
      return "\n";
    case "html":
      return node.value;
    case "footnoteReference":
      return markup ? `[^${node.identifier}]` : "";
    default:
      return "";
  }
}

/** One line of a paragraph: the phrasing nodes between line endings, with its source line. */
export interface Line {
  nodes: PhrasingContent[];
  line: number;
}

/**
 * Splits a paragraph at its line endings (soft and hard breaks), so that
 * `**Agent**: x⏎**Time**: 20 min` gives two lines, each with its own source line.
 */
export function splitLines(paragraph: Paragraph): Line[] {
  const start = paragraph.position?.start.line ?? 1;
  const lines: Line[] = [];
  let current: Line = { nodes: [], line: paragraph.children[0]?.position?.start.line ?? start };
  for (const node of paragraph.children) {
    if (node.type === "break") {
      lines.push(current);
      current = { nodes: [], line: node.position?.end.line ?? current.line + 1 };
      continue;
    }
    if (node.type !== "text" || !node.value.includes("\n")) {
      if (current.nodes.length === 0 && node.position !== undefined) current.line = node.position.start.line;
      current.nodes.push(node);
      continue;
    }
    const parts = node.value.split("\n");
    const first = node.position?.start.line ?? current.line;
    parts.forEach((part, index) => {
      if (index > 0) {
        lines.push(current);
        current = { nodes: [], line: first + index };
      } else if (current.nodes.length === 0) {
        current.line = first;
      }
      if (part !== "") current.nodes.push({ type: "text", value: part });
    });
  }
  lines.push(current);
  return lines.filter((line) => line.nodes.length > 0);
}

function indentRest(text: string, width: number): string {
  return text.replace(/\n/g, `\n${" ".repeat(width)}`);
}

/** The content of a list item: its first block on the first line, the rest (nested lists…) below it. */
export function renderItemBody(item: ListItem, mode: Mode, depth = 0): string {
  return item.children
    .map((child) => renderBlock(child, mode, depth + 1))
    .filter((text) => text !== "")
    .join("\n");
}

function renderTable(table: Table, mode: Mode, depth: number): string {
  const rows = table.children.map(
    (row) =>
      `| ${row.children
        .map((cell) =>
          renderInline(cell.children, mode, depth + 1)
            .replace(/\|/g, "\\|")
            .trim(),
        )
        .join(" | ")} |`,
  );
  const width = table.children[0]?.children.length ?? 0;
  if (rows.length > 0 && width > 0) rows.splice(1, 0, `| ${Array.from({ length: width }, () => "---").join(" | ")} |`);
  return rows.join("\n");
}

/** A block as Markdown-ish text (lists keep their markers and nesting, tables their rows). */
export function renderBlock(node: Block, mode: Mode, depth = 0): string {
  if (depth > MAX_DEPTH) return collectText(node);
  switch (node.type) {
    case "paragraph":
      return renderInline(node.children, mode, depth + 1).trim();
    case "heading":
      return renderInline(node.children, mode === "markdown" ? "title" : mode, depth + 1).trim();
    case "list":
      return node.children
        .map((item, index) => {
          const marker = node.ordered === true ? `${(node.start ?? 1) + index}.` : "-";
          const check =
            mode === "plain" || item.checked === null || item.checked === undefined
              ? ""
              : item.checked
                ? "[x] "
                : "[ ] ";
          return `${marker} ${check}${indentRest(renderItemBody(item, mode, depth + 1), marker.length + 1)}`.trimEnd();
        })
        .join("\n");
    case "listItem":
      return renderItemBody(node, mode, depth);
    case "code":
      return mode === "plain" ? node.value : `\`\`\`${node.lang ?? ""}\n${node.value}\n\`\`\``;
    case "blockquote": {
      const inner = node.children
        .map((child) => renderBlock(child, mode, depth + 1))
        .filter((text) => text !== "")
        .join("\n");
      return mode === "plain" ? inner : inner.replace(/^/gm, "> ");
    }
    case "table":
      return renderTable(node, mode, depth);
    case "html":
      return node.value.trim();
    case "definition":
      return mode === "plain" ? "" : `[${node.label ?? node.identifier}]: ${node.url}`;
    case "footnoteDefinition": {
      const inner = node.children
        .map((child) => renderBlock(child, mode, depth + 1))
        .filter((text) => text !== "")
        .join("\n");
      return mode === "plain" ? inner : `[^${node.identifier}]: ${indentRest(inner, 4)}`;
    }
    case "thematicBreak":
      return "";
    default:
      return collectText(node);
  }
}
