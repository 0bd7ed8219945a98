import { useEffect, useState } from "react";

export interface RunEventRow {
  cursor: string;
  timestamp: string;
  eventType: string | null;
  level: string;
  message: string;
  stepKey: string | null;
  assetKey: { path: string[] } | null;
  partition: string | null;
  data?: unknown;
}

/** A run's events, live: the webserver's Server-Sent Events stream from the first event until the run
 * ends (EventSource resumes from the last event id after a dropped connection). */
export function useRunEvents(runId: string): { events: RunEventRow[]; ended: boolean; error: string | null } {
  const [state, setState] = useState<{ events: RunEventRow[]; ended: boolean; error: string | null }>({ events: [], ended: false, error: null });
  useEffect(() => {
    setState({ events: [], ended: false, error: null });
    const source = new EventSource(`/runs/${encodeURIComponent(runId)}/events`);
    let buffer: RunEventRow[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const batch = buffer;
      buffer = [];
      if (batch.length) setState((s) => ({ ...s, events: s.events.concat(batch), error: null }));
    };
    source.addEventListener("run-event", (e) => {
      buffer.push(JSON.parse((e as MessageEvent<string>).data) as RunEventRow);
      timer ??= setTimeout(flush, 80);
    });
    source.addEventListener("end", () => {
      source.close();
      flush();
      setState((s) => ({ ...s, ended: true }));
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) setState((s) => ({ ...s, error: "The event stream closed." }));
    };
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [runId]);
  return state;
}
