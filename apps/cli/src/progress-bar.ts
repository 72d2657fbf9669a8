/** A one-line progress bar on a terminal; plain lines (at most one per 10 %) elsewhere. */
export function progressBar(label: string, out: NodeJS.WriteStream = process.stderr): { update(done: number, total: number): void; end(): void } {
  let lastDecile = -1;
  return {
    update(done, total) {
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      if (out.isTTY) {
        const width = 30;
        const filled = Math.round(fraction * width);
        out.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(1)}% ${done}/${total}`);
      } else if (Math.floor(fraction * 10) > lastDecile) {
        lastDecile = Math.floor(fraction * 10);
        out.write(`${label} ${(fraction * 100).toFixed(0)}% ${done}/${total}\n`);
      }
    },
    end() {
      if (out.isTTY) out.write('\n');
    },
  };
}
