// Ukrainian and Russian letters, so that a domain named in Cyrillic still makes a readable branch name.
const cyrillic: Record<string, string> = {
  а: "a",
  б: "b",
  в: "v",
  г: "h",
  ґ: "g",
  д: "d",
  е: "e",
  є: "ye",
  ж: "zh",
  з: "z",
  и: "y",
  і: "i",
  ї: "yi",
  й: "y",
  к: "k",
  л: "l",
  м: "m",
  н: "n",
  о: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ф: "f",
  х: "kh",
  ц: "ts",
  ч: "ch",
  ш: "sh",
  щ: "shch",
  ь: "",
  ю: "yu",
  я: "ya",
  ё: "yo",
  ъ: "",
  ы: "y",
  э: "e",
};

/**
 * A name as a branch-safe slug: lower case, `[a-z0-9-]`, at most `max`
 * characters, never empty (`fallback` when nothing is left).
 */
export function slug(name: string, max = 40, fallback = "general"): string {
  const text = [...name.normalize("NFKD").toLowerCase()]
    .map((char) => cyrillic[char] ?? char)
    .join("")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const cut = text.slice(0, max).replace(/-+$/, "");
  return cut === "" ? fallback : cut;
}
