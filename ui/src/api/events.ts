import { useEffect, useRef } from "react";
import { useQueryClient, type QueryKey } from "@tanstack/react-query";

/** The event types gate streams (Delivery.Contracts.Orchestration's IExecutionEvent records). */
export const EVENT_TYPES = [
  "ExecutionStarted", "ExecutionCompleted", "ExecutionPaused", "ExecutionResumed",
  "StageStarted", "StageCompleted", "TaskStarted", "TaskCompleted", "JudgmentRequested", "StageJudged",
] as const;

/** The `GET /events` address for a filter. */
export function eventsUrl(filter: { application?: string; executionId?: string }): string {
  const query = new URLSearchParams();
  if (filter.application) query.set("application", filter.application);
  if (filter.executionId) query.set("executionId", filter.executionId);
  const text = query.toString();
  return text ? `/events?${text}` : "/events";
}

/**
 * Keeps the given queries live: every event gate streams for the filter (and a `reset`) refetches
 * them, at most once per `coalesceMs` so a burst of events costs one request, and never while the
 * previous refetch is still on its way: events that arrive meanwhile cost one more refetch after it.
 * (Invalidating a query that is being fetched would cancel that fetch and start over, so under a steady
 * stream of events a slow list never arrived.) EventSource reconnects by itself with Last-Event-ID.
 */
export function useLiveQueries(filter: { application?: string; executionId?: string }, keys: QueryKey[], coalesceMs = 150) {
  const client = useQueryClient();
  const keysRef = useRef(keys);
  keysRef.current = keys;
  const url = eventsUrl(filter);
  useEffect(() => {
    const source = new EventSource(url);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    let missed = false;
    let closed = false;
    const flush = async () => {
      timer = undefined;
      if (inFlight) {
        missed = true;
        return;
      }
      inFlight = true;
      try {
        await Promise.all(keysRef.current.map((key) => client.invalidateQueries({ queryKey: key }, { cancelRefetch: false })));
      } finally {
        inFlight = false;
        if (missed) {
          missed = false;
          refresh();
        }
      }
    };
    const refresh = () => {
      if (!closed) timer ??= setTimeout(() => void flush(), coalesceMs);
    };
    for (const type of [...EVENT_TYPES, "reset"]) source.addEventListener(type, refresh);
    // A stream that (re)opens may have missed events before it did.
    source.addEventListener("open", refresh);
    return () => {
      closed = true;
      clearTimeout(timer);
      source.close();
    };
  }, [url, client, coalesceMs]);
}
