namespace ToolbarFlags;

/// <summary>Per-request collector state: the flags the app read. Any thread of the request may write.</summary>
internal sealed class FlagsState
{
    private readonly Dictionary<string, (bool Value, int Reads)> _seen = new(StringComparer.OrdinalIgnoreCase);

    public void Saw(string name, bool value)
    {
        lock (_seen)
        {
            _seen[name] = _seen.TryGetValue(name, out var known) ? (known.Value, known.Reads + 1) : (value, 1);
        }
    }

    public Dictionary<string, (bool Value, int Reads)> Snapshot()
    {
        lock (_seen)
        {
            return new(_seen, StringComparer.OrdinalIgnoreCase);
        }
    }
}
