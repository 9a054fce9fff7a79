namespace Toolbar.Panels.Threads;

/// <summary>Per-request collector state of the threads panel.</summary>
internal sealed class ThreadsState
{
    /// <summary>Most waits kept per request; the rest are only counted.</summary>
    public const int MaxWaits = 100;

    private readonly Lock _lock = new();
    private List<RawWait>? _waits;
    private int _dropped;

    public int ThreadsStart { get; set; }

    public long QueueStart { get; set; }

    public QueueDelayProbe? Probe { get; set; }

    public bool Listening { get; set; }

    public void Add(in RawWait wait)
    {
        lock (_lock)
        {
            _waits ??= [];
            if (_waits.Count < MaxWaits)
            {
                _waits.Add(wait);
            }
            else
            {
                _dropped++;
            }
        }
    }

    public (RawWait[] Waits, int Dropped) Take()
    {
        lock (_lock)
        {
            return (_waits?.ToArray() ?? [], _dropped);
        }
    }
}
