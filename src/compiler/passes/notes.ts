/** What a front-end pass changed, for the compile and plan reports: which pass, at which op, and what it did. */
export interface PassNote {
  readonly pass: string;
  /** The model's index of the op the pass removed or rewrote. */
  readonly op: number;
  readonly kind: string;
  readonly message: string;
}
