// Orders strings by their UTF-16 code units: deterministic and the same in every locale (for paths and names
// as codex sorts them, byte-wise, apart from characters beyond the Basic Multilingual Plane), and without the
// ICU collation `localeCompare` loads into the process on first use.
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
