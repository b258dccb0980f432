export type SortState = { field: string; desc: boolean };

/** `-field` for descending, `field` for ascending (the API's sort format). */
export function sortParam(sort: SortState): string {
  return sort.desc ? `-${sort.field}` : sort.field;
}

export function nextSort(current: SortState, field: string): SortState {
  return current.field === field ? { field, desc: !current.desc } : { field, desc: false };
}
