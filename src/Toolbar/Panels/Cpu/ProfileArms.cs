using System.Collections.Concurrent;

namespace Toolbar.Panels.Cpu;

/// <summary>
/// URLs whose next request is to be profiled (the panel's "Profile the next request to this URL" button). An arm is
/// used by one request and expires after <see cref="Lifetime"/>. Empty almost always, and checked with one read then.
/// </summary>
internal sealed class ProfileArms(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _armed = new(StringComparer.Ordinal);
    private int _count;

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Arms <paramref name="url"/> (path with path base, then query string); returns when it expires.</summary>
    public DateTimeOffset Arm(string url)
    {
        var expires = time.GetUtcNow() + Lifetime;
        if (_armed.TryAdd(url, expires))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            _armed[url] = expires;
        }

        return expires;
    }

    /// <summary>Whether <paramref name="url"/> was armed (and not expired); disarms it.</summary>
    public bool TryConsume(string url)
    {
        if (Volatile.Read(ref _count) == 0 || !_armed.TryRemove(url, out var expires))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        return expires > time.GetUtcNow();
    }

    /// <summary>Armed URLs that have not expired.</summary>
    public IReadOnlyList<string> List()
    {
        var now = time.GetUtcNow();
        return [.. _armed.Where(a => a.Value > now).Select(a => a.Key).Order(StringComparer.Ordinal)];
    }
}
