using System.Diagnostics;

namespace Toolbar.Panels.Middleware;

/// <summary>
/// What the probes saw of one tracked request: per middleware, how often it ran, the time spent in it
/// (inclusive) and whether an exception left it. Set as an <c>HttpContext</c> feature by the outermost probe.
/// </summary>
/// <remarks>
/// The probes of one request run one after the other (each one inside the previous middleware), so the
/// arrays need no lock; <see cref="Completed"/> publishes them to the thread that builds the panel data.
/// </remarks>
internal sealed class MiddlewareTrace
{
    // Tracked requests whose trace is live: while 0, an inner probe skips even the feature lookup.
    private static int s_active;

    private readonly long[] _ticks;
    private readonly int[] _calls;
    private readonly bool[] _threw;
    private readonly long[] _firstEnter;
    private volatile bool _completed;

    /// <param name="count">Number of probed middleware; one more slot stands for the end of the pipeline.</param>
    public MiddlewareTrace(int count)
    {
        _ticks = new long[count + 1];
        _calls = new int[count + 1];
        _threw = new bool[count + 1];
        _firstEnter = new long[count + 1];
        StartTimestamp = Stopwatch.GetTimestamp();
    }

    public static bool AnyActive => Volatile.Read(ref s_active) != 0;

    public long StartTimestamp { get; }

    /// <summary>Whether the outermost middleware returned: the figures are final.</summary>
    public bool Completed => _completed;

    public int Count => _ticks.Length - 1;

    public static void Activate() => Interlocked.Increment(ref s_active);

    public void Complete()
    {
        _completed = true;
        Interlocked.Decrement(ref s_active);
    }

    public void Enter(int index, long timestamp)
    {
        if (_calls[index]++ == 0)
        {
            _firstEnter[index] = timestamp;
        }
    }

    public void Exit(int index, long startTimestamp, bool threw)
    {
        _ticks[index] += Stopwatch.GetTimestamp() - startTimestamp;
        _threw[index] |= threw;
    }

    public int Calls(int index) => _calls[index];

    public bool Threw(int index) => _threw[index];

    /// <summary>Time spent inside the middleware (and everything it called), over all its runs, in ms.</summary>
    public double InclusiveMs(int index) => _ticks[index] * 1000.0 / Stopwatch.Frequency;

    /// <summary>When the middleware was first entered, in ms from the outermost probe's start.</summary>
    public double FirstEnterMs(int index) => (_firstEnter[index] - StartTimestamp) * 1000.0 / Stopwatch.Frequency;
}
