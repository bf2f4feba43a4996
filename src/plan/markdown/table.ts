import type { PhrasingContent, RootContent, Table } from "mdast";
import { fieldKey, normalizeLabel } from "./fields.js";
import { readHeadingText } from "./headings.js";
import { renderInline } from "./render.js";
import type { Entry } from "./tasks.js";

// Header words, lower-cased: `| # | Task | Domain | Time | Files | Depends on |`.
const ID_COLUMN = /^(?:#|№|id|no\.?|nr\.?|n|номер)$/u;
const TITLE_COLUMN = /^(?:task|title|name|batch|задача|завдання|назва|батч)$/u;
// A row that sums the others up: `| | **Total** | | 2h |`.
const TOTAL_ROW = /^(?:total|sum|overall|всього|разом|загалом|усього)\b/iu;
/** Columns that make a table one of tasks, beside its title column. */
const TASK_COLUMN_KEYS = new Set(["domain", "agent", "estimate", "files", "needs"]);

/** Which column of a table of tasks holds what. */
export interface TaskColumns {
  id?: number;
  title: number;
  /** The header of the title column, as written, for messages. */
  titleLabel: string;
  /** The other columns, by their header: a field name (`Domain`, `Час`) or any label, kept as context. */
  fields: Array<{ index: number; label: string }>;
}

/**
 * The columns of a table of tasks, one row a task: one with a title column
 * (`Task`, `Title`, `Batch`, `Задача`…) and a domain, agent, estimate, files or
 * dependencies column. Any other table (a parallelization matrix) is none.
 */
export function taskColumns(table: Table): TaskColumns | undefined {
  const header =
    table.children[0]?.children.map((cell) => renderInline(cell.children, "plain").replace(/\s+/g, " ").trim()) ?? [];
  let id: number | undefined;
  let title: number | undefined;
  const fields: TaskColumns["fields"] = [];
  let taskField = false;
  header.forEach((label, index) => {
    const word = label.toLowerCase();
    if (id === undefined && ID_COLUMN.test(word)) id = index;
    else if (title === undefined && TITLE_COLUMN.test(normalizeLabel(label))) title = index;
    else if (label !== "") {
      const key = fieldKey(label);
      if (key !== undefined && TASK_COLUMN_KEYS.has(key)) taskField = true;
      fields.push({ index, label });
    }
  });
  return title === undefined || !taskField
    ? undefined
    : { ...(id === undefined ? {} : { id }), title, titleLabel: header[title] ?? "Task", fields };
}

export function isTaskTable(node: RootContent): node is Table {
  return node.type === "table" && taskColumns(node) !== undefined;
}

/** One row of a table of tasks: its id and title when it has them, its cells as fields. */
export interface TaskRow {
  line: number;
  id?: string;
  title?: string;
  entries: Entry[];
}

/**
 * The rows of a table of tasks that hold anything but a total. A row's id is its `#`
 * column, else the number its title starts with (`Batch 3: Models`); each other
 * cell is the value of its column's field, at the row's line. `<br>` in a cell
 * separates lines, as in a field's paragraph.
 */
export function tableRows(table: Table, columns: TaskColumns): TaskRow[] {
  const rows: TaskRow[] = [];
  for (const row of table.children.slice(1)) {
    const line = row.position?.start.line ?? 1;
    const text = (index: number | undefined) => {
      const cell = index === undefined ? undefined : row.children[index];
      return cell === undefined ? "" : renderInline(cell.children, "title").replace(/\s+/g, " ").trim();
    };
    if (row.children.every((cell) => renderInline(cell.children, "plain").trim() === "")) continue;
    let id = idOf(text(columns.id));
    let title: string | undefined = text(columns.title);
    if (id === undefined && TOTAL_ROW.test(title)) continue;
    const heading = readHeadingText(title);
    if (heading.kind === "numbered") {
      id ??= heading.id;
      title = heading.title;
    }
    const entries: Entry[] = [];
    for (const { index, label } of columns.fields) {
      const cell = row.children[index];
      if (cell === undefined || renderInline(cell.children, "plain").trim() === "") continue;
      entries.push({ kind: "label", label, line });
      entries.push({
        kind: "block",
        node: {
          type: "paragraph",
          children: withBreaks(cell.children),
          ...(cell.position === undefined ? {} : { position: cell.position }),
        },
      });
    }
    rows.push({ line, ...(id === undefined ? {} : { id }), ...(title === "" ? {} : { title }), entries });
  }
  return rows;
}

/** `3`, `#3`, `Batch 3`, `3.` → `3`; any other word is an id as written. */
function idOf(text: string): string | undefined {
  if (text === "") return undefined;
  const numbered = /^(?:batch|task|батч|задача|завдання)?\s*[#№]?\s*(\d+(?:\.\d+)*)\.?$/iu.exec(text);
  return numbered?.[1] ?? text;
}

function withBreaks(nodes: readonly PhrasingContent[]): PhrasingContent[] {
  return nodes.map((node) =>
    node.type === "html" && /^<br\s*\/?>$/iu.test(node.value.trim()) ? { type: "break" } : node,
  );
}
