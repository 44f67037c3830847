/** One evaluation case: a package upgrade in which only the code changed. */
export interface EvalCase {
  id: string;
  /** The public incident the case is modelled on. */
  incident: string;
  name: string;
  from: string;
  to: string;
  /** Registry fields both versions share (main, scripts, dependencies, bin). */
  manifest: Record<string, unknown>;
  before: Record<string, string>;
  after: Record<string, string>;
  /** The file a reviewer must be shown (paths relative to `package/`). */
  file: string;
}
