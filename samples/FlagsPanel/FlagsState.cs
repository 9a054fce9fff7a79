namespace ToolbarFlags;

/// <summary>Per-request collector state: the flags the app read. Any thread of the request may write.</summary>
internal sealed class FlagsState
{
    // Made when the request reads its first flag: most requests read none, and the state is made for every one.
    private readonly Lock _lock = new();
    private Dictionary<string, (bool Value, int Reads)>? _seen;
    private Dictionary<string, bool>? _overrides;

    /// <summary>The browser's overrides, parsed from the cookie once per request (the cookie cannot change mid-request).</summary>
    public Dictionary<string, bool> Overrides(Func<Dictionary<string, bool>> parse)
    {
        var overrides = Volatile.Read(ref _overrides);
        if (overrides is null)
        {
            // Two threads may parse at once; both get equal results, one is kept.
            Interlocked.CompareExchange(ref _overrides, parse(), null);
            overrides = _overrides!;
        }

        return overrides;
    }

    public void Saw(string name, bool value)
    {
        lock (_lock)
        {
            _seen ??= new(StringComparer.OrdinalIgnoreCase);
            _seen[name] = _seen.TryGetValue(name, out var known) ? (known.Value, known.Reads + 1) : (value, 1);
        }
    }

    public Dictionary<string, (bool Value, int Reads)>? Snapshot()
    {
        lock (_lock)
        {
            return _seen is null ? null : new(_seen, StringComparer.OrdinalIgnoreCase);
        }
    }
}
