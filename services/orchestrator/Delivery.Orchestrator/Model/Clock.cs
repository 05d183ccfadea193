namespace Delivery.Orchestrator.Model;

public static class Clock
{
    public static long NowMs(this TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();
}
