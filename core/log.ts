/**
 * Console output for operators. Everything printed passes through `redact`, so a phone number
 * or a secret that slips into a message never reaches a log.
 */
const secrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

// A run of 8+ digits (with the separators people type) that is not part of a longer token such as
// a timestamp id ("20261127T...") or a versioned name ("churn-20261127...") is treated as a phone number.
const PHONE = /(?<![\w.-])\+?\(?\d[\d\s().-]{6,}\d(?![\w])/g;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join("[secret]");
  return out.replace(PHONE, (m) => (m.replace(/\D/g, "").length >= 8 && !DATE.test(m) ? "[phone]" : m));
}

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export function consoleLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  const write = (level: string, msg: string) => stream.write(`${level}${redact(msg)}\n`);
  return {
    info: (m) => write("", m),
    warn: (m) => write("warning: ", m),
    error: (m) => write("error: ", m),
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
