namespace Toolbar.Tests.Infrastructure;

/// <summary>
/// Tests of the Redis store run after the parallel ones, one class at a time. The store gives Redis one second a call
/// (a slow Redis must never slow the app), which a machine busy with the parallel tests can exceed, and the store then
/// rightly reports itself unavailable. These tests measure the store, not the machine. The distributed store's tests
/// join them: its writer runs on the thread pool, and an update waits a bounded time for it to take a queued record.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisCollection
{
    public const string Name = "redis";
}
