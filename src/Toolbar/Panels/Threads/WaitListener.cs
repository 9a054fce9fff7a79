using System.Diagnostics;

namespace Toolbar.Panels.Threads;

/// <summary>
/// The one wait listener of the process, shared by every threads panel in it (a test run or a host with many apps):
/// one <see cref="WaitSession"/> with stacks and one light <see cref="PoolSession"/>, whatever the number of apps, so
/// the runtime's session limit, native buffers and background parsing do not grow with them. Reference-counted: a panel
/// holds a reference while its app tracks requests (<see cref="AddUser"/>), the first one that needs the sessions
/// starts them in the background, and they stop when the last reference goes (idle timeout or the app stopping).
/// A failed start leaves no waits listed and is retried after <see cref="RetryDelay"/>; a heap snapshot stops the
/// sessions for its walk (<see cref="RuntimeSessionPause"/>) and the next tracked request starts them again.
/// </summary>
internal static class WaitListener
{
    /// <summary>How long a failed start is not retried, so that tracked requests do not each start a failing attempt.</summary>
    public static TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Why the last start failed, if one did (tests, diagnostics).</summary>
    public static string? LastStartError { get; private set; }

    /// <summary>Starts that fail on purpose, as a refused session would (tests).</summary>
    public static int FailNextStarts;

    private static readonly Lock s_lock = new();
    private static int s_users;
    private static int s_taskUsers;
    private static WaitSession? s_session;
    private static PoolSession? s_pool;
    private static bool s_starting;
    private static long s_retryAfter;
    private static int s_starts;

    static WaitListener() => RuntimeSessionPause.Register(StopForPause);

    /// <summary>How many panels hold a reference (tests).</summary>
    public static int Users
    {
        get
        {
            lock (s_lock)
            {
                return s_users;
            }
        }
    }

    /// <summary>How many times the sessions were started since the process began (tests: one start serves every app).</summary>
    public static int Starts => Volatile.Read(ref s_starts);

    /// <summary>The wait session, while it listens.</summary>
    public static WaitSession? Session
    {
        get
        {
            lock (s_lock)
            {
                return s_session;
            }
        }
    }

    /// <summary>The light session, while it listens.</summary>
    public static PoolSession? Pool
    {
        get
        {
            lock (s_lock)
            {
                return s_pool;
            }
        }
    }

    /// <summary>A panel needs the sessions from now on; <paramref name="taskWaits"/> when it times task waits too.</summary>
    public static void AddUser(bool taskWaits)
    {
        lock (s_lock)
        {
            s_users++;
            if (taskWaits)
            {
                s_taskUsers++;
            }
        }
    }

    /// <summary>A panel no longer needs the sessions: the last one stops them.</summary>
    public static void RemoveUser(bool taskWaits)
    {
        lock (s_lock)
        {
            s_users--;
            if (taskWaits)
            {
                s_taskUsers--;
            }

            if (s_users > 0)
            {
                return;
            }
        }

        Stop(onlyIfUnused: true);
    }

    /// <summary>
    /// The sessions as they are now, for a request that starts; starts them in the background when they do not run
    /// (or a panel that times task waits joined a light session without them) and may.
    /// </summary>
    public static (WaitSession? Session, PoolSession? Pool) Current()
    {
        lock (s_lock)
        {
            if (!s_starting && s_users > 0 && (s_session is null || s_pool is null || (s_taskUsers > 0 && !s_pool.TaskWaits))
                && !RuntimeSessionPause.Paused && Stopwatch.GetTimestamp() >= s_retryAfter)
            {
                s_starting = true;
                // Off the request: opening the session and its rundown take a few hundred ms. No execution context, so
                // the readers are nobody's request (their allocations and waits are not the app's).
                using (ExecutionContext.SuppressFlow())
                {
                    ThreadPool.UnsafeQueueUserWorkItem(static _ => Open(), (object?)null, preferLocal: false);
                }
            }

            return (s_session, s_pool);
        }
    }

    private static void Open()
    {
        WaitSession? session;
        PoolSession? pool;
        bool taskWaits;
        lock (s_lock)
        {
            session = s_session;
            pool = s_pool;
            taskWaits = s_taskUsers > 0;
        }

        WaitSession? opened = null;
        PoolSession? openedPool = null;
        try
        {
            if (Volatile.Read(ref FailNextStarts) > 0 && Interlocked.Decrement(ref FailNextStarts) >= 0)
            {
                throw new InvalidOperationException("The session was refused (test).");
            }

            opened = session is null ? WaitSession.Start() : null;
            openedPool = pool is null || (taskWaits && !pool.TaskWaits) ? PoolSession.Start(taskWaits) : null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Diagnostics disabled (DOTNET_EnableDiagnostics=0), refused, or the runtime's session limit reached: the
            // panels list no waits and say so. Runs on a pool thread: an exception here would end the app.
            opened?.Dispose();
            opened = null;
            lock (s_lock)
            {
                LastStartError = ex.GetType().Name + ": " + ex.Message;
                s_retryAfter = Stopwatch.GetTimestamp() + (long)(RetryDelay.TotalSeconds * Stopwatch.Frequency);
            }
        }

        PoolSession? replaced = null;
        lock (s_lock)
        {
            s_starting = false;
            if (s_users == 0 || RuntimeSessionPause.Paused || (opened is null && openedPool is null) || (s_session is null && opened is null))
            {
                // Nobody needs them any more, a heap walk began meanwhile, or the start failed.
                replaced = openedPool;
            }
            else
            {
                if (opened is not null)
                {
                    s_session = opened;
                    opened = null;
                    s_starts++;
                    RequestThreadLog.AddSession();
                }

                if (openedPool is not null)
                {
                    replaced = s_pool;
                    s_pool = openedPool;
                }
            }
        }

        replaced?.Dispose();
        opened?.Dispose();
    }

    private static void Stop(bool onlyIfUnused)
    {
        WaitSession? session;
        PoolSession? pool;
        lock (s_lock)
        {
            if ((onlyIfUnused && s_users > 0) || (s_session is null && s_pool is null))
            {
                return;
            }

            session = s_session;
            pool = s_pool;
            s_session = null;
            s_pool = null;
        }

        if (session is not null)
        {
            RequestThreadLog.RemoveSession();
            session.Dispose();
        }

        pool?.Dispose();
    }

    private static void StopForPause()
    {
        // A session still opening would run during the heap walk: wait until it opened (or gave up).
        var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            lock (s_lock)
            {
                if (!s_starting)
                {
                    break;
                }
            }

            Thread.Sleep(10);
        }

        Stop(onlyIfUnused: false);
    }
}
