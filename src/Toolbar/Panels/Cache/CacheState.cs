using Microsoft.AspNetCore.OutputCaching;

namespace Toolbar.Panels.Cache;

/// <summary>The cache calls of one tracked request, gathered on any thread of the request. Thread-safe.</summary>
internal sealed class CacheState
{
    /// <summary>Upper bound of calls kept per request; later calls are only counted.</summary>
    public const int MaxCalls = 2000;

    private readonly Lock _lock = new();
    private readonly List<CacheCallRecord> _calls = [];
    private int _total;
    private bool _finished;

    /// <summary>The output cache middleware's context of this request, when it ran one.</summary>
    public OutputCacheContext? OutputContext { get; set; }

    public void Add(CacheCallRecord call)
    {
        lock (_lock)
        {
            if (_finished)
            {
                return;
            }

            _total++;
            if (_calls.Count < MaxCalls)
            {
                _calls.Add(call);
            }
        }
    }

    /// <summary>Stops recording and hands over what was recorded.</summary>
    public (CacheCallRecord[] Calls, int Total) Finish()
    {
        lock (_lock)
        {
            _finished = true;
            CacheCallRecord[] calls = [.. _calls];
            _calls.Clear();
            return (calls, _total);
        }
    }
}
