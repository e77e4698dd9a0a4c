export async function run(_argv: string[]): Promise<number> {
  console.error("st-proxy lambda-proxy: not implemented yet");
  return 1;
}
