// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { eventsUrl, useLiveQueries } from "./events";

/** Stands in for the browser's EventSource: records listeners so the test can deliver events. */
class FakeEventSource {
  static last: FakeEventSource | undefined;
  readonly listeners = new Map<string, (() => void)[]>();
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: () => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: string) {
    this.listeners.get(type)?.forEach((l) => l());
  }
  close() {
    this.closed = true;
  }
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function Live({ executionId }: { executionId: string }) {
  useLiveQueries({ executionId }, [["execution", executionId]], 100);
  return null;
}

describe("useLiveQueries", () => {
  it("subscribes to the execution's events and refetches once per burst", async () => {
    vi.useFakeTimers();
    vi.stubGlobal("EventSource", FakeEventSource);
    const client = new QueryClient();
    const invalidate = vi.spyOn(client, "invalidateQueries").mockResolvedValue();
    const view = render(<QueryClientProvider client={client}><Live executionId="e1" /></QueryClientProvider>);
    const source = FakeEventSource.last!;
    expect(source.url).toBe("/events?executionId=e1");

    source.emit("StageStarted");
    source.emit("TaskStarted");
    source.emit("JudgmentRequested");
    expect(invalidate).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(invalidate).toHaveBeenCalledTimes(1);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ["execution", "e1"] }, { cancelRefetch: false });

    await vi.advanceTimersByTimeAsync(0);
    source.emit("reset");
    await vi.advanceTimersByTimeAsync(100);
    expect(invalidate).toHaveBeenCalledTimes(2);

    view.unmount();
    expect(source.closed).toBe(true);
  });

  it("never refetches while a refetch is on its way, and refetches once after it for the events it missed", async () => {
    vi.useFakeTimers();
    vi.stubGlobal("EventSource", FakeEventSource);
    const client = new QueryClient();
    let answer: () => void = () => {};
    const invalidate = vi.spyOn(client, "invalidateQueries").mockImplementation(() => new Promise<void>((resolve) => (answer = resolve)));
    render(<QueryClientProvider client={client}><Live executionId="e2" /></QueryClientProvider>);
    const source = FakeEventSource.last!;

    source.emit("StageStarted");
    vi.advanceTimersByTime(100);
    expect(invalidate).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 5; i++) {
      source.emit("TaskCompleted");
      vi.advanceTimersByTime(100);
    }
    expect(invalidate).toHaveBeenCalledTimes(1);

    answer();
    await vi.advanceTimersByTimeAsync(100);
    expect(invalidate).toHaveBeenCalledTimes(2);
    answer();
    await vi.advanceTimersByTimeAsync(500);
    expect(invalidate).toHaveBeenCalledTimes(2);
  });

  it("builds the filter's address", () => {
    expect(eventsUrl({ application: "demo" })).toBe("/events?application=demo");
    expect(eventsUrl({})).toBe("/events");
  });
});
