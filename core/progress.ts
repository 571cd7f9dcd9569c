/** One progress line per long step: redrawn in place on a terminal, every 25% otherwise. */
export interface Progress {
  update(label: string, done: number, total: number): void;
  done(): void;
}

export function progressBar(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY);
  let lastQuarter = new Map<string, number>();
  let drawn = false;
  return {
    update(label, done, total) {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      if (tty) {
        stream.write(`\r  ${label}: ${done}/${total} (${pct}%)`.padEnd(70));
        drawn = true;
      } else {
        const q = Math.floor(pct / 25);
        if (q > (lastQuarter.get(label) ?? -1)) {
          lastQuarter.set(label, q);
          stream.write(`  ${label}: ${done}/${total} (${pct}%)\n`);
        }
      }
    },
    done() {
      if (tty && drawn) stream.write("\r".padEnd(71) + "\r");
      drawn = false;
      lastQuarter = new Map();
    },
  };
}

export const noProgress: Progress = { update: () => {}, done: () => {} };
