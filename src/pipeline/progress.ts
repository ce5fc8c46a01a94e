// How far a run is: files done of total, rows read, files rejected.
export interface RunProgress {
  total: number;
  done: number;
  rows: number;
  rejected: number;
}

export type ProgressListener = (progress: RunProgress) => void;
