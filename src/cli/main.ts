/** @module cli/main — placeholder entry replaced by the CLI implementation. */
export async function main(_argv: string[]): Promise<number> {
  return 0;
}
