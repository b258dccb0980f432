/** One line of a diff: kept, removed (only in the old text) or added (only in the new one). */
export type DiffLine = { op: 'same' | 'del' | 'add'; text: string; oldNo: number | null; newNo: number | null };

/** Inputs beyond this many lines (after trimming common ends) get a plain remove-all/add-all diff. */
const MAX_LCS_LINES = 4000;

/**
 * A line diff by longest common subsequence. The common head and tail are matched first, so
 * typical edits of long playbooks stay cheap; the rest uses an O(n·m) table.
 */
export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = oldText === '' ? [] : oldText.replace(/\r\n/g, '\n').split('\n');
  const b = newText === '' ? [] : newText.replace(/\r\n/g, '\n').split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;

  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ op: 'same', text: a[i] ?? '', oldNo: i + 1, newNo: i + 1 });

  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const n = am.length;
  const m = bm.length;
  if (n > MAX_LCS_LINES || m > MAX_LCS_LINES) {
    am.forEach((text, i) => out.push({ op: 'del', text, oldNo: head + i + 1, newNo: null }));
    bm.forEach((text, j) => out.push({ op: 'add', text, oldNo: null, newNo: head + j + 1 }));
  } else {
    // lcs[i][j]: the LCS length of am[i..] and bm[j..], in a flat array.
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i * w + j] = am[i] === bm[j] ? (lcs[(i + 1) * w + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * w + j] ?? 0, lcs[i * w + j + 1] ?? 0);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && am[i] === bm[j]) {
        out.push({ op: 'same', text: am[i] ?? '', oldNo: head + i + 1, newNo: head + j + 1 });
        i++;
        j++;
      } else if (j < m && (i === n || (lcs[i * w + j + 1] ?? 0) >= (lcs[(i + 1) * w + j] ?? 0))) {
        out.push({ op: 'add', text: bm[j] ?? '', oldNo: null, newNo: head + j + 1 });
        j++;
      } else {
        out.push({ op: 'del', text: am[i] ?? '', oldNo: head + i + 1, newNo: null });
        i++;
      }
    }
  }
  for (let k = tail; k > 0; k--) out.push({ op: 'same', text: a[a.length - k] ?? '', oldNo: a.length - k + 1, newNo: b.length - k + 1 });
  return out;
}

/** Counts of added and removed lines. */
export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.op === 'add') added++;
    else if (l.op === 'del') removed++;
  }
  return { added, removed };
}
