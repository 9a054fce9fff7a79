namespace Toolbar.Panels.Exceptions;

/// <summary>Exceptions seen on one request's execution context, kept as objects until the request finishes.</summary>
internal sealed class ExceptionState
{
    /// <summary>Distinct exceptions kept per request; beyond it only the count grows.</summary>
    public const int MaxExceptions = 100;

    private readonly Lock _lock = new();
    /// <summary>Exceptions remembered to recognise rethrows; beyond it a rethrow may count again.</summary>
    private const int MaxRemembered = 10_000;

    // Created on the first throw: most requests throw nothing and should pay for nothing.
    private List<(Exception Exception, double TimestampMs)>? _seen;
    private HashSet<Exception>? _known;
    private int _total;

    /// <summary>The panel that created this state (several apps may share one process, e.g. in tests).</summary>
    public ExceptionsPanel? Owner { get; set; }

    public void Add(Exception exception, double timestampMs)
    {
        lock (_lock)
        {
            // An exception crossing several awaits is raised again at each one: keep its first throw only.
            _seen ??= [];
            _known ??= new HashSet<Exception>(ReferenceEqualityComparer.Instance);
            if (_known.Contains(exception))
            {
                return;
            }

            if (_known.Count < MaxRemembered)
            {
                _known.Add(exception);
            }

            _total++;
            if (_seen.Count < MaxExceptions)
            {
                _seen.Add((exception, timestampMs));
            }
        }
    }

    public ((Exception Exception, double TimestampMs)[] Seen, int Total) Snapshot()
    {
        lock (_lock)
        {
            return (_seen is null ? [] : [.. _seen], _total);
        }
    }
}
