/** Whether pasting this text would run more than one command (ask first). */
export function isMultiLine(text: string): boolean {
  return /[\r\n]/.test(text.replace(/[\r\n]+$/, ''));
}

export function lineCount(text: string): number {
  return text.replace(/[\r\n]+$/, '').split(/\r\n|\r|\n/).length;
}
