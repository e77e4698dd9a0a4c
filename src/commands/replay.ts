export async function run(_argv: string[]): Promise<number> {
  console.error("st-proxy replay: not implemented yet");
  return 1;
}
