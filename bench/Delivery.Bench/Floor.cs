using System.Diagnostics;
using System.Text.Json;
using Delivery.ServiceDefaults;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using StackExchange.Redis;

namespace Delivery.Bench;

/// <summary>A message shaped like the engine's <c>StartStage</c> (an execution id and a stage id), for the bus floor.</summary>
public sealed record FloorPing(string ExecutionId, string StageId, long Sequence);

/// <summary>
/// The physical floor of one distributed stage hop on this machine, measured against the same Redis
/// and RabbitMQ as the engine: one message through the broker and one save-sized Lua script. Every
/// call is made one after another from this process, with nothing else of Delivery running.
/// </summary>
public static class Floor
{
    /// <summary>The shape and size of the engine's save (RedisExecutionStore): a compare-and-set on the version that writes the document and the outbox.</summary>
    private const string SaveLikeScript = """
        if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'v', ARGV[2], 'doc', ARGV[3], 'status', ARGV[4], 'end', ARGV[7], 'applied', ARGV[8])
        if ARGV[5] ~= '' then redis.call('SET', KEYS[2], ARGV[5], 'EX', ARGV[6]) end
        return 1
        """;

    /// <summary>The stored size of a completed chain10 execution and of one stage's outbox, in bytes (as measured by this bench).</summary>
    private const int DocumentBytes = 4_840;
    private const int OutboxBytes = 400;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// MassTransit publish -> consume: a persistent message published (awaiting the publisher confirm)
    /// to its type's exchange, routed to a durable queue, consumed by this process; the sample is the
    /// time from the call to <c>Publish</c> until the consumer runs. Same JSON settings
    /// (<see cref="JsonDefaults"/>), prefetch and concurrency limits as Delivery's defaults.
    /// </summary>
    public static async Task<Samples> MassTransitAsync(int rabbitPort, int warmup, int count)
    {
        var defaults = new DeliveryBusOptions();
        TaskCompletionSource<long>? received = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host("127.0.0.1", (ushort)rabbitPort, "/", h =>
            {
                h.Username(defaults.Username);
                h.Password(defaults.Password);
            });
            cfg.PrefetchCount = defaults.PrefetchCount;
            cfg.ConcurrentMessageLimit = defaults.ConcurrentMessageLimit;
            cfg.ConfigureJsonSerializerOptions(o => JsonDefaults.Configure(o));
            cfg.ReceiveEndpoint("delivery-bench-floor", e => e.Handler<FloorPing>(_ =>
            {
                Volatile.Read(ref received)?.TrySetResult(Stopwatch.GetTimestamp());
                return Task.CompletedTask;
            }));
        });
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        try
        {
            return await SequentialAsync(warmup, count, async i =>
            {
                var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref received, done);
                var t0 = Stopwatch.GetTimestamp();
                await bus.Publish(new FloorPing("01FLOOREXECUTION0000000000", "01FLOORSTAGE00000000000000", i));
                return Stopwatch.GetElapsedTime(t0, await done.Task.WaitAsync(Timeout)).TotalMilliseconds;
            });
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    /// <summary>
    /// The same hop with RabbitMQ.Client alone (the version MassTransit uses): a persistent message
    /// published with a confirm to a durable queue through the default exchange and consumed on a second
    /// channel; what MassTransit adds on top is the difference.
    /// </summary>
    public static async Task<Samples> RabbitMqClientAsync(int rabbitPort, int warmup, int count)
    {
        const string queue = "delivery-bench-floor-raw";
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = rabbitPort };
        await using var connection = await factory.CreateConnectionAsync();
        await using var publisher = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await using var consumerChannel = await connection.CreateChannelAsync();
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: true);
        TaskCompletionSource<long>? received = null;
        var consumer = new AsyncEventingBasicConsumer(consumerChannel);
        consumer.ReceivedAsync += (_, _) =>
        {
            Volatile.Read(ref received)?.TrySetResult(Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        };
        await consumerChannel.BasicConsumeAsync(queue, autoAck: true, consumer);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
        return await SequentialAsync(warmup, count, async i =>
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new FloorPing("01FLOOREXECUTION0000000000", "01FLOORSTAGE00000000000000", i), JsonDefaults.Options);
            var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref received, done);
            var t0 = Stopwatch.GetTimestamp();
            await publisher.BasicPublishAsync("", queue, mandatory: false, properties, body);
            return Stopwatch.GetElapsedTime(t0, await done.Task.WaitAsync(Timeout)).TotalMilliseconds;
        });
    }

    /// <summary>
    /// One <c>EVALSHA</c> of a script shaped like the engine's save (compare-and-set on a version, then a
    /// hash write of a chain10-sized document and an outbox key with an expiry), through StackExchange.Redis.
    /// </summary>
    public static async Task<Samples> RedisScriptAsync(string redisConfiguration, string keyPrefix, int warmup, int count)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisConfiguration);
        var db = redis.GetDatabase();
        var sha = await redis.GetServer(redis.GetEndPoints()[0]).ScriptLoadAsync(SaveLikeScript);
        // One hash tag per execution, as the engine's keys have.
        RedisKey[] keys = [$"{keyPrefix}{{floor}}:execution", $"{keyPrefix}{{floor}}:outbox"];
        var document = new string('d', DocumentBytes);
        var outbox = new string('o', OutboxBytes);
        long version = 0;
        await db.KeyDeleteAsync(keys);
        await db.HashSetAsync(keys[0], "v", version);
        try
        {
            return await SequentialAsync(warmup, count, async _ =>
            {
                var t0 = Stopwatch.GetTimestamp();
                var saved = (int)await db.ScriptEvaluateAsync(sha, keys,
                    [version, version + 1, document, "RUNNING", outbox, 86_400, 0, "01FLOORMESSAGE"]);
                var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (saved != 1)
                {
                    throw new BenchException("The floor's Redis script did not save (version mismatch).");
                }
                version++;
                return ms;
            });
        }
        finally
        {
            await db.KeyDeleteAsync(keys);
        }
    }

    private static async Task<Samples> SequentialAsync(int warmup, int count, Func<long, Task<double>> once)
    {
        var samples = new Samples();
        for (var i = 0; i < warmup + count; i++)
        {
            var ms = await once(i);
            if (i >= warmup)
            {
                samples.Add(ms);
            }
        }
        return samples;
    }

    /// <summary>What the Redis script writes, for the notes.</summary>
    public static string RedisPayload => $"a {DocumentBytes} byte document and a {OutboxBytes} byte outbox";
}
