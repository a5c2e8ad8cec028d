/**
 * The text of a log view: chunks joined into lines, only the last `maxLines` kept (a note says how many earlier
 * lines were dropped), and notes from ClusterDeck (stream ended, stopped, failed) as `[clusterdeck] …` lines.
 */
export class LogBuffer {
  private readonly lines: string[] = [];
  private partial = '';
  private droppedLines = 0;

  constructor(readonly maxLines = 50_000) {}

  /** Lines dropped from the top so far. */
  get dropped(): number {
    return this.droppedLines;
  }

  /** Complete lines held (the partial last line not counted). */
  get lineCount(): number {
    return this.lines.length;
  }

  /** Adds decoded text as it arrived (may end mid-line). */
  append(chunk: string): void {
    const parts = (this.partial + chunk).replace(/\r\n/g, '\n').split('\n');
    this.partial = parts.pop() ?? '';
    for (const p of parts) this.lines.push(p);
    this.trim();
  }

  /** A line from ClusterDeck, after what arrived so far. */
  note(text: string): void {
    if (this.partial) {
      this.lines.push(this.partial);
      this.partial = '';
    }
    this.lines.push(`[clusterdeck] ${text}`);
    this.trim();
  }

  private trim(): void {
    const excess = this.lines.length - this.maxLines;
    if (excess > 0) {
      this.lines.splice(0, excess);
      this.droppedLines += excess;
    }
  }

  /** The document text. */
  text(): string {
    const head =
      this.droppedLines > 0
        ? `[clusterdeck] ${this.droppedLines.toLocaleString('en-US')} earlier lines dropped (only the last ${this.maxLines.toLocaleString('en-US')} are kept)\n`
        : '';
    return `${head}${this.lines.map((l) => `${l}\n`).join('')}${this.partial}`;
  }
}
