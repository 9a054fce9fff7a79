namespace Toolbar.Panels.Threads;

/// <summary>
/// Lets a heap snapshot run without the threads panel's event sessions: while any session keeps the runtime's provider
/// on, the runtime does not name again, in a later heap walk, the types an earlier walk named, so a second snapshot
/// would show new objects as unnamed types. The memory panel pauses the sessions for the walk; the next tracked request
/// after it restarts them.
/// </summary>
internal static class RuntimeSessionPause
{
    private static readonly Lock s_lock = new();
    private static readonly List<Action> s_stoppers = [];
    private static int s_pauses;

    /// <summary>Whether a pause is in effect: no session may start.</summary>
    public static bool Paused
    {
        get
        {
            lock (s_lock)
            {
                return s_pauses > 0;
            }
        }
    }

    /// <summary>Registers what stops a panel's sessions.</summary>
    public static void Register(Action stop)
    {
        lock (s_lock)
        {
            s_stoppers.Add(stop);
        }
    }

    /// <summary>Removes a panel's stopper (the panel is disposed).</summary>
    public static void Unregister(Action stop)
    {
        lock (s_lock)
        {
            s_stoppers.Remove(stop);
        }
    }

    /// <summary>Stops every session now and keeps them stopped until the result is disposed.</summary>
    public static IDisposable Pause()
    {
        Action[] stoppers;
        lock (s_lock)
        {
            s_pauses++;
            stoppers = [.. s_stoppers];
        }

        foreach (var stop in stoppers)
        {
            stop();
        }

        return new Resume();
    }

    private sealed class Resume : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                lock (s_lock)
                {
                    s_pauses--;
                }
            }
        }
    }
}
