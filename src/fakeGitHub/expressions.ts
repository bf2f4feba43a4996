/**
 * GitHub Actions' expression language, as far as the workflows the fake runs
 * use it: literals, contexts with `.name`, `['name']`, `[0]` and the object
 * filter `.*`, `!`, comparisons (loose, strings case-insensitive), `&&` and
 * `||` returning an operand, parentheses, and the functions `contains`,
 * `startsWith`, `endsWith`, `format`, `join`, `toJSON`, `fromJSON`, `success`,
 * `always`, `failure` and `cancelled` ("Evaluate expressions in workflows and
 * actions", docs.github.com). A bad expression throws, as GitHub fails the run.
 */

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/** The contexts an expression reads: `github`, `inputs`, `vars`, … */
export type Contexts = Record<string, Value>;

/** An array made by the object filter: a property read on it reads every element's. */
class Filtered extends Array<Value> {}

type Token = { kind: "number" | "string" | "name" | "op"; text: string; value?: Value };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const rest = source.slice(at);
    const space = /^\s+/.exec(rest);
    if (space !== null) {
      at += space[0].length;
      continue;
    }
    const string = /^'((?:[^']|'')*)'/.exec(rest);
    if (string !== null) {
      tokens.push({ kind: "string", text: string[0], value: string[1]!.replaceAll("''", "'") });
      at += string[0].length;
      continue;
    }
    const number = /^(0x[0-9a-fA-F]+|-?\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(rest);
    if (number !== null && !/^[\w-]/.test(rest.slice(number[0].length))) {
      tokens.push({ kind: "number", text: number[0], value: Number(number[0]) });
      at += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][\w-]*/.exec(rest);
    if (name !== null) {
      tokens.push({ kind: "name", text: name[0] });
      at += name[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|&&|\|\||[!<>().,[\]*])/.exec(rest);
    if (op === null)
      throw new Error(`unexpected ${JSON.stringify(rest.slice(0, 10))} in the expression ${JSON.stringify(source)}`);
    tokens.push({ kind: "op", text: op[0] });
    at += op[0].length;
  }
  return tokens;
}

/** An expression, parsed. */
type Node =
  | { kind: "literal"; value: Value }
  | { kind: "context"; name: string }
  | { kind: "property"; of: Node; name: string }
  | { kind: "index"; of: Node; key: Node }
  | { kind: "filter"; of: Node }
  | { kind: "call"; name: string; args: Node[] }
  | { kind: "not"; of: Node }
  | { kind: "binary"; op: string; left: Node; right: Node };

function parse(source: string): Node {
  const tokens = tokenize(source);
  let at = 0;
  const peek = (text: string) => tokens[at]?.kind === "op" && tokens[at]!.text === text;
  const expect = (text: string) => {
    if (!peek(text)) throw new Error(`expected ${text} in the expression ${JSON.stringify(source)}`);
    at += 1;
  };
  // Lowest first: ||, &&, == and !=, < <= > >=, !, then postfix.
  const levels = [["||"], ["&&"], ["==", "!="], ["<", "<=", ">", ">="]];
  const binary = (level: number): Node => {
    if (level === levels.length) return unary();
    let left = binary(level + 1);
    for (let op = levels[level]!.find(peek); op !== undefined; op = levels[level]!.find(peek)) {
      at += 1;
      left = { kind: "binary", op, left, right: binary(level + 1) };
    }
    return left;
  };
  const unary = (): Node => {
    if (peek("!")) {
      at += 1;
      return { kind: "not", of: unary() };
    }
    return postfix(primary());
  };
  const primary = (): Node => {
    const token = tokens[at];
    if (token === undefined) throw new Error(`the expression ${JSON.stringify(source)} ends too soon`);
    at += 1;
    if (token.kind === "string" || token.kind === "number") return { kind: "literal", value: token.value! };
    if (token.kind === "op" && token.text === "(") {
      const inner = binary(0);
      expect(")");
      return inner;
    }
    if (token.kind !== "name") throw new Error(`unexpected ${token.text} in the expression ${JSON.stringify(source)}`);
    if (token.text === "true" || token.text === "false") return { kind: "literal", value: token.text === "true" };
    if (token.text === "null") return { kind: "literal", value: null };
    if (peek("(")) {
      at += 1;
      const args: Node[] = [];
      while (!peek(")")) {
        args.push(binary(0));
        if (peek(",")) at += 1;
        else break;
      }
      expect(")");
      return { kind: "call", name: token.text, args };
    }
    return { kind: "context", name: token.text };
  };
  const postfix = (start: Node): Node => {
    let node = start;
    for (;;) {
      if (peek(".")) {
        at += 1;
        if (peek("*")) {
          at += 1;
          node = { kind: "filter", of: node };
          continue;
        }
        const name = tokens[at];
        if (name?.kind !== "name")
          throw new Error(`expected a property name in the expression ${JSON.stringify(source)}`);
        at += 1;
        node = { kind: "property", of: node, name: name.text };
      } else if (peek("[")) {
        at += 1;
        if (peek("*")) {
          at += 1;
          node = { kind: "filter", of: node };
        } else {
          node = { kind: "index", of: node, key: binary(0) };
        }
        expect("]");
      } else {
        return node;
      }
    }
  };
  const root = binary(0);
  if (at !== tokens.length)
    throw new Error(`unexpected ${tokens[at]!.text} in the expression ${JSON.stringify(source)}`);
  return root;
}

/** Evaluates one expression (what stands between `${{` and `}}`); `&&` and `||` evaluate their right side only when they need it, as GitHub's do. */
export function evaluate(source: string, contexts: Contexts): Value {
  const run = (node: Node): Value => {
    switch (node.kind) {
      case "literal":
        return node.value;
      case "context":
        if (!(node.name in contexts))
          throw new Error(`unknown context ${node.name} in the expression ${JSON.stringify(source)}`);
        return contexts[node.name]!;
      case "property":
        return property(run(node.of), node.name);
      case "index": {
        const of = run(node.of);
        const key = run(node.key);
        return typeof key === "number" ? (Array.isArray(of) ? (of[key] ?? null) : null) : property(of, String(key));
      }
      case "filter":
        return filter(run(node.of));
      case "call":
        return call(node.name, node.args.map(run));
      case "not":
        return !truthy(run(node.of));
      case "binary": {
        const left = run(node.left);
        if (node.op === "||") return truthy(left) ? left : run(node.right);
        if (node.op === "&&") return truthy(left) ? run(node.right) : left;
        const right = run(node.right);
        if (node.op === "==") return looseEqual(left, right);
        if (node.op === "!=") return !looseEqual(left, right);
        const [a, b] =
          typeof left === "string" && typeof right === "string"
            ? [left.toLowerCase(), right.toLowerCase()]
            : [toNumber(left), toNumber(right)];
        return node.op === "<" ? a < b : node.op === "<=" ? a <= b : node.op === ">" ? a > b : a >= b;
      }
    }
  };
  return run(parse(source));
}

/** A string with `${{ … }}` in it, each replaced by its value as text. */
export function interpolate(template: string, contexts: Contexts): string {
  let out = "";
  let at = 0;
  for (let start = template.indexOf("${{"); start !== -1; start = template.indexOf("${{", at)) {
    const end = closing(template, start + 3);
    out += template.slice(at, start) + asText(evaluate(template.slice(start + 3, end), contexts));
    at = end + 2;
  }
  return out + template.slice(at);
}

/** Where the `}}` that closes an expression begins: the first outside a quoted string ('…', '' inside one). */
function closing(template: string, from: number): number {
  let quoted = false;
  for (let at = from; at < template.length; at++) {
    if (template[at] === "'") quoted = !quoted;
    else if (!quoted && template.startsWith("}}", at)) return at;
  }
  throw new Error(`an expression is not closed with }} in ${JSON.stringify(template)}`);
}

/** An `if:`: an expression with or without `${{ }}`, true when truthy. */
export function condition(text: string, contexts: Contexts): boolean {
  const bare = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text);
  return truthy(evaluate(bare === null ? text : bare[1]!, contexts));
}

export function asText(value: Value): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value, null, 2);
}

function truthy(value: Value): boolean {
  return !(
    value === null ||
    value === false ||
    value === 0 ||
    value === "" ||
    (typeof value === "number" && Number.isNaN(value))
  );
}

function toNumber(value: Value): number {
  if (value === null) return 0;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    if (value.trim() === "") return 0;
    const number = Number(value.trim());
    return Number.isNaN(number) ? NaN : number;
  }
  return NaN;
}

function looseEqual(a: Value, b: Value): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) return a === b;
  if (typeof a === typeof b && (a === null || typeof a !== "object")) return a === b;
  return toNumber(a) === toNumber(b);
}

function property(value: Value, name: string): Value {
  if (value instanceof Filtered)
    return Filtered.from(
      value.flatMap((item) => (item instanceof Array ? item : [item])).map((item) => property(item, name)),
    ) as Filtered;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  // Property names are case-insensitive.
  const key = Object.keys(value).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? null : value[key]!;
}

function filter(value: Value): Filtered {
  if (Array.isArray(value)) return Filtered.from(value) as Filtered;
  if (typeof value === "object" && value !== null) return Filtered.from(Object.values(value)) as Filtered;
  return new Filtered();
}

function call(name: string, args: Value[]): Value {
  const text = (index: number) => asText(args[index] ?? null);
  switch (name.toLowerCase()) {
    case "contains": {
      const [haystack, needle] = args;
      if (Array.isArray(haystack)) return haystack.some((item) => looseEqual(item, needle ?? null));
      return text(0).toLowerCase().includes(text(1).toLowerCase());
    }
    case "startswith":
      return text(0).toLowerCase().startsWith(text(1).toLowerCase());
    case "endswith":
      return text(0).toLowerCase().endsWith(text(1).toLowerCase());
    case "format":
      return text(0).replace(/\{\{|\}\}|\{(\d+)\}/g, (match, index: string | undefined) =>
        match === "{{" ? "{" : match === "}}" ? "}" : text(Number(index) + 1),
      );
    case "join": {
      const [items, separator] = args;
      return Array.isArray(items)
        ? items.map(asText).join(separator === undefined ? "," : asText(separator))
        : asText(items ?? null);
    }
    case "tojson":
      return JSON.stringify(args[0] ?? null, null, 2);
    case "fromjson":
      return JSON.parse(text(0)) as Value;
    case "success":
    case "always":
      return true;
    case "failure":
    case "cancelled":
      return false;
    default:
      throw new Error(`unknown function ${name}()`);
  }
}
