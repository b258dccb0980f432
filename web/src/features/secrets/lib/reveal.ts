/** How long a revealed value stays on screen before it is dropped. */
export const REVEAL_SECONDS = 30;
